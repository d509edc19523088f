package io.quotecast.cluster;

import io.quotecast.testing.Eventually;
import io.quotecast.testing.NodeProcess;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.TestClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker stopped for 10 s and started again, with clients on every node: what each of them sees.
 * One test, since the outage is the whole scenario and each of its phases depends on the one before.
 */
@RealParts
class BrokerOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(10);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private EmbeddedBroker broker;

    @AfterEach
    void stopAll() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception ignored) {
                // the next one still stops
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    private <T extends AutoCloseable> T closing(T each) {
        toClose.add(each);
        return each;
    }

    @Test
    void nodesKeepTheirClientsServeStaleSnapshotsAndResumeWithAGapWhenTheBrokerReturns() {
        String url = "tcp://127.0.0.1:" + NodeProcess.freePort();
        broker = EmbeddedBroker.start(url);
        NodeProcess publisher = closing(NodeProcess.start("outage-publisher", "feed.mode", "publish", "broker.url", url,
                "feed.ticksPerSecond", "200"));
        NodeProcess east = closing(NodeProcess.start("outage-east", "feed.mode", "subscribe", "broker.url", url));
        NodeProcess west = closing(NodeProcess.start("outage-west", "feed.mode", "subscribe", "broker.url", url));
        List<NodeProcess> nodes = List.of(publisher, east, west);
        List<TestClient> clients = new ArrayList<>();
        for (NodeProcess node : nodes) {
            TestClient client = closing(TestClient.connect(node.stream("?symbols=ACME")));
            client.next(quoteOf("ACME").and(quote -> !quote.containsKey("snapshot")));
            clients.add(client);
        }

        broker.close();
        long stopped = System.nanoTime();
        for (NodeProcess node : List.of(east, west)) {
            Eventually.await(node + " shows the broker DOWN in /health",
                    () -> "DOWN".equals(node.health().getJsonObject("broker").getString("state")));
            Eventually.await(node + " shows quotecast_broker_up 0",
                    () -> node.get("/metrics").lines().anyMatch(line -> line.startsWith("quotecast_broker_up{") && line.endsWith(" 0.0")));
            try (TestClient newcomer = TestClient.connect(node.stream("?symbols=GLOBX"))) {
                JsonObject snapshot = newcomer.next(quoteOf("GLOBX"));
                assertTrue(snapshot.getBoolean("snapshot", false) && snapshot.getBoolean("stale", false),
                        node + " answers subscribe with the last snapshot, flagged stale: " + snapshot);
            }
        }
        Eventually.await("the publisher shows the broker DOWN",
                () -> "DOWN".equals(publisher.health().getJsonObject("broker").getString("state")));
        Eventually.await("the broker has been away " + OUTAGE.toSeconds() + " s",
                () -> System.nanoTime() - stopped >= OUTAGE.toNanos(), OUTAGE.plusSeconds(5));
        for (TestClient client : clients) {
            assertFalse(client.isClosedByServer(), "every node keeps its clients while the broker is away");
        }

        broker = EmbeddedBroker.start(url);
        for (NodeProcess node : nodes) {
            Eventually.await(node + " reconnects by itself", () -> "UP".equals(node.health().getJsonObject("broker").getString("state")),
                    Duration.ofSeconds(15));
        }
        for (int i = 1; i < nodes.size(); i++) {
            TestClient client = clients.get(i);
            JsonObject gap = client.next(quoteOf("ACME").and(quote -> quote.getBoolean("gap", false)), Duration.ofSeconds(15));
            assertTrue(gap.getBoolean("snapshot", false), "the ticks missed show as a gap snapshot: " + gap);
            client.next(quoteOf("ACME").and(quote -> !quote.containsKey("snapshot")));
        }
        for (int i = 0; i < nodes.size(); i++) {
            long last = 0;
            for (JsonObject quote : clients.get(i).history()) {
                if (quoteOf("ACME").test(quote)) {
                    long seq = quote.getJsonNumber("seq").longValue();
                    assertTrue(seq > last, nodes.get(i) + ": seq never goes backwards, " + seq + " after " + last);
                    last = seq;
                }
            }
        }
        try (TestClient newcomer = TestClient.connect(east.stream("?symbols=GLOBX"))) {
            JsonObject snapshot = newcomer.next(quoteOf("GLOBX"));
            assertFalse(snapshot.containsKey("stale"), "fresh again once ticks flow: " + snapshot);
        }
        assertEquals("UP", east.health().getString("status"));
    }
}
