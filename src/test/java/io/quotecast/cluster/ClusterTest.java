package io.quotecast.cluster;

import io.quotecast.testing.NodeProcess;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.TestClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three nodes on one feed, as users see them: an embedded Artemis in this JVM, a publishing node and two
 * subscribing nodes, each a JVM of its own, and WebSocket clients on all three.
 */
@RealParts
class ClusterTest {

    private static EmbeddedBroker broker;
    private static NodeProcess publisher;
    private static NodeProcess east;
    private static NodeProcess west;

    @BeforeAll
    static void startCluster() {
        String url = "tcp://127.0.0.1:" + NodeProcess.freePort();
        broker = EmbeddedBroker.start(url);
        // 200 ticks/s over 50 symbols: each symbol ticks 4 times a second
        publisher = NodeProcess.start("cluster-publisher", "feed.mode", "publish", "broker.url", url, "feed.ticksPerSecond", "200");
        east = NodeProcess.start("cluster-east", "feed.mode", "subscribe", "broker.url", url);
        west = NodeProcess.start("cluster-west", "feed.mode", "subscribe", "broker.url", url);
    }

    @AfterAll
    static void stopCluster() {
        for (AutoCloseable each : new AutoCloseable[] {west, east, publisher, broker}) {
            try {
                if (each != null) {
                    each.close();
                }
            } catch (Exception ignored) {
                // the next one still stops
            }
        }
    }

    @Test
    void everyNodeSendsTheSameTicksWithTheSameEpochSeqPriceVolumeAndTs() {
        List<NodeProcess> nodes = List.of(publisher, east, west);
        Map<String, Map<Long, JsonObject>> bySeq = new HashMap<>();
        Set<String> epochs = new TreeSet<>();
        List<TestClient> clients = nodes.stream().map(node -> TestClient.connect(node.stream("?symbols=ACME"))).toList();
        try {
            for (int i = 0; i < nodes.size(); i++) {
                epochs.add(clients.get(i).next("hello").getString("epoch"));
            }
            for (int i = 0; i < nodes.size(); i++) {
                Map<Long, JsonObject> ticks = new HashMap<>();
                for (JsonObject quote : clients.get(i).collect(quoteOf("ACME"), Duration.ofMillis(1500))) {
                    ticks.put(quote.getJsonNumber("seq").longValue(), quote);
                }
                bySeq.put(nodes.get(i).name(), ticks);
            }
        } finally {
            clients.forEach(TestClient::close);
        }
        assertEquals(1, epochs.size(), "hello names one epoch on every node: " + epochs);
        assertFalse(epochs.iterator().next().isEmpty());
        Set<Long> common = new TreeSet<>(bySeq.get(publisher.name()).keySet());
        bySeq.values().forEach(ticks -> common.retainAll(ticks.keySet()));
        assertTrue(common.size() >= 5, "the three nodes sent at least 5 ticks of ACME in common: " + common);
        for (long seq : common) {
            JsonObject original = bySeq.get(publisher.name()).get(seq);
            for (Map<Long, JsonObject> ticks : bySeq.values()) {
                JsonObject same = ticks.get(seq);
                for (String field : List.of("price", "bid", "ask", "volume", "ts", "changePercent")) {
                    assertEquals(original.get(field), same.get(field), field + " of ACME seq " + seq);
                }
            }
        }
    }

    @Test
    void aClientResumesOnAnotherNodeWithoutAHole() {
        long lastSeen;
        String epoch;
        try (TestClient onEast = TestClient.connect(east.stream("?symbols=ACME"))) {
            epoch = onEast.next("hello").getString("epoch");
            onEast.next(quoteOf("ACME"));
            lastSeen = onEast.next(quoteOf("ACME").and(quote -> !quote.containsKey("snapshot"))).getJsonNumber("seq").longValue();
        }
        try (TestClient onWest = TestClient.connect(west.stream(""))) {
            assertEquals(epoch, onWest.next("hello").getString("epoch"));
            onWest.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"],\"since\":{\"ACME\":" + lastSeen + "},\"epoch\":\"" + epoch + "\"}");
            for (long expected = lastSeen + 1; expected <= lastSeen + 6; expected++) {
                JsonObject quote = onWest.next(quoteOf("ACME"));
                assertEquals(expected, quote.getJsonNumber("seq").longValue(), "every tick after the one seen on east, in order: " + quote);
                assertFalse(quote.containsKey("gap"), quote.toString());
            }
        }
    }

    @Test
    void aSinceFromAnotherEpochIsAnsweredWithAGapSnapshot() {
        try (TestClient onEast = TestClient.connect(east.stream(""))) {
            onEast.next("hello");
            onEast.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"],\"since\":{\"ACME\":3},\"epoch\":\"another-run\"}");
            JsonObject quote = onEast.next(quoteOf("ACME"));
            assertEquals(true, quote.getBoolean("snapshot", false), quote.toString());
            assertEquals(true, quote.getBoolean("gap", false), quote.toString());
        }
    }

    @Test
    void aNodeThatJoinsLateServesEverySymbolsSnapshotAtOnce() {
        long publishedSeq;
        String epoch;
        try (TestClient onPublisher = TestClient.connect(publisher.stream("?symbols=GLOBX"))) {
            epoch = onPublisher.next("hello").getString("epoch");
            publishedSeq = onPublisher.next(quoteOf("GLOBX")).getJsonNumber("seq").longValue();
        }
        try (NodeProcess late = NodeProcess.start("cluster-late", "feed.mode", "subscribe", "broker.url", broker.url());
             TestClient client = TestClient.connect(late.stream("?symbols=*"))) {
            long connected = System.nanoTime();
            assertEquals(epoch, client.next("hello").getString("epoch"), "the late node serves the publisher's run");
            Map<String, JsonObject> snapshots = new HashMap<>();
            while (snapshots.size() < 50) {
                JsonObject quote = client.next(TestClient.ofType("quote").and(q -> q.getBoolean("snapshot", false)));
                snapshots.put(quote.getString("symbol"), quote);
            }
            long tookMillis = (System.nanoTime() - connected) / 1_000_000;
            assertTrue(tookMillis < 2_000, "every snapshot within 2 s of connecting, took " + tookMillis + " ms");
            assertTrue(snapshots.get("GLOBX").getJsonNumber("seq").longValue() >= publishedSeq,
                    "the snapshot is the latest tick, not an old one: " + snapshots.get("GLOBX"));
            assertFalse(snapshots.get("GLOBX").containsKey("stale"), snapshots.get("GLOBX").toString());
        }
    }

    @Test
    void healthAndMetricsShowTheBrokerUpOnEveryNode() {
        for (NodeProcess node : List.of(publisher, east, west)) {
            JsonObject health = node.health();
            assertEquals("UP", health.getJsonObject("broker").getString("state"), node + ": " + health);
            assertEquals("UP", health.getString("status"), node + ": " + health);
            assertTrue(node.get("/metrics").lines().anyMatch(line -> line.startsWith("quotecast_broker_up{") && line.endsWith(" 1.0")),
                    node + " has quotecast_broker_up 1");
        }
        assertNotEquals(east.health().getJsonObject("broker").getString("role"), publisher.health().getJsonObject("broker").getString("role"));
    }
}
