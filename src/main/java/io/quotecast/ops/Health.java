package io.quotecast.ops;

import io.quotecast.cluster.BrokerLink;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * What a load balancer's health check gets at {@code /health}: UP while the feed ticks, DOWN (HTTP 503)
 * once it has stalled, since a node without a feed would serve stale prices to every client it is
 * sent. Connection counts are there to read, not to judge: a full node is still a healthy one.
 *
 * <p>A node of a cluster also shows its broker, UP or DOWN. The broker alone does not make the node DOWN:
 * a publisher without its broker still serves live prices to its own clients, and a subscribing node
 * without it is DOWN anyway once its feed has been silent for the allowed age, so a load balancer sends
 * new clients to nodes that have live prices while the old ones keep their connections.
 */
public final class Health {

    private final FeedMonitor feed;
    private final IntSupplier connections;
    private final int maxConnections;
    private final Optional<BrokerLink> broker;

    public Health(FeedMonitor feed, IntSupplier connections, int maxConnections) {
        this(feed, connections, maxConnections, Optional.empty());
    }

    public Health(FeedMonitor feed, IntSupplier connections, int maxConnections, Optional<BrokerLink> broker) {
        this.feed = feed;
        this.connections = connections;
        this.maxConnections = maxConnections;
        this.broker = broker;
    }

    /** The state now. */
    public Report report() {
        FeedMonitor.State state = feed.state();
        return new Report(state == FeedMonitor.State.RUNNING, state, feed.lastTickAgeNanos() / 1_000_000,
                feed.ticks(), connections.getAsInt(), maxConnections,
                broker.map(link -> new Broker(link.up(), link.role(), link.url(), link.connects(), link.ticksDropped())));
    }

    /** The broker as /health shows it: {@code {"state":"UP","role":"subscribe","url":"tcp://...","connects":1,"ticksDropped":0}}. */
    public record Broker(boolean up, String role, String url, long connects, long ticksDropped) {
    }

    /** One answer of {@code /health}. */
    public record Report(boolean up, FeedMonitor.State feed, long lastTickAgeMillis, long ticks, int connections,
                         int maxConnections, Optional<Broker> broker) {

        /** A report of a node without a broker. */
        public Report(boolean up, FeedMonitor.State feed, long lastTickAgeMillis, long ticks, int connections, int maxConnections) {
            this(up, feed, lastTickAgeMillis, ticks, connections, maxConnections, Optional.empty());
        }

        /** 200 when up, 503 when down. */
        public int httpStatus() {
            return up ? 200 : 503;
        }

        /** {@code {"status":"UP","feed":{"state":"RUNNING","lastTickAgeMillis":12,"ticks":1234},"connections":{...}}}. */
        public JsonObject toJson() {
            JsonObjectBuilder json = Json.createObjectBuilder()
                    .add("status", up ? "UP" : "DOWN")
                    .add("feed", Json.createObjectBuilder()
                            .add("state", feed.name())
                            .add("lastTickAgeMillis", lastTickAgeMillis)
                            .add("ticks", ticks))
                    .add("connections", Json.createObjectBuilder()
                            .add("open", connections)
                            .add("max", maxConnections));
            broker.ifPresent(link -> json.add("broker", Json.createObjectBuilder()
                    .add("state", link.up() ? "UP" : "DOWN")
                    .add("role", link.role())
                    .add("url", link.url())
                    .add("connects", link.connects())
                    .add("ticksDropped", link.ticksDropped())));
            return json.build();
        }
    }
}
