package io.quotecast.ops;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.util.function.IntSupplier;

/**
 * What a load balancer's health check gets at {@code /health}: UP while the feed ticks, DOWN (HTTP 503)
 * once it has stalled, since a node without a feed would serve stale prices to every client it is
 * sent. Connection counts are there to read, not to judge: a full node is still a healthy one.
 */
public final class Health {

    private final FeedMonitor feed;
    private final IntSupplier connections;
    private final int maxConnections;

    public Health(FeedMonitor feed, IntSupplier connections, int maxConnections) {
        this.feed = feed;
        this.connections = connections;
        this.maxConnections = maxConnections;
    }

    /** The state now. */
    public Report report() {
        FeedMonitor.State state = feed.state();
        return new Report(state == FeedMonitor.State.RUNNING, state, feed.lastTickAgeNanos() / 1_000_000,
                feed.ticks(), connections.getAsInt(), maxConnections);
    }

    /** One answer of {@code /health}. */
    public record Report(boolean up, FeedMonitor.State feed, long lastTickAgeMillis, long ticks, int connections,
                         int maxConnections) {

        /** 200 when up, 503 when down. */
        public int httpStatus() {
            return up ? 200 : 503;
        }

        /** {@code {"status":"UP","feed":{"state":"RUNNING","lastTickAgeMillis":12,"ticks":1234},"connections":{...}}}. */
        public JsonObject toJson() {
            return Json.createObjectBuilder()
                    .add("status", up ? "UP" : "DOWN")
                    .add("feed", Json.createObjectBuilder()
                            .add("state", feed.name())
                            .add("lastTickAgeMillis", lastTickAgeMillis)
                            .add("ticks", ticks))
                    .add("connections", Json.createObjectBuilder()
                            .add("open", connections)
                            .add("max", maxConnections))
                    .build();
        }
    }
}
