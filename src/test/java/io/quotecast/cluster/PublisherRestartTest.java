package io.quotecast.cluster;

import io.quotecast.testing.NodeProcess;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.TestClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The publisher restarts: a new run of the feed (a new epoch), which a subscribing node's clients resume onto with a gap. */
@RealParts
class PublisherRestartTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stopAll() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception ignored) {
                // the next one still stops
            }
        }
    }

    private <T extends AutoCloseable> T closing(T each) {
        toClose.add(each);
        return each;
    }

    @Test
    void aRestartedPublisherGivesANewEpochAndAResumeFromTheOldOneGetsGapSnapshots() {
        String url = "tcp://127.0.0.1:" + NodeProcess.freePort();
        closing(EmbeddedBroker.start(url));
        NodeProcess publisher = NodeProcess.start("restart-publisher", "feed.mode", "publish", "broker.url", url,
                "feed.ticksPerSecond", "200");
        NodeProcess east = closing(NodeProcess.start("restart-east", "feed.mode", "subscribe", "broker.url", url));
        TestClient client = closing(TestClient.connect(east.stream("?symbols=ACME")));
        String oldEpoch = client.next("hello").getString("epoch");
        long lastSeen = client.next(quoteOf("ACME").and(quote -> !quote.containsKey("snapshot"))).getJsonNumber("seq").longValue();

        publisher.close();
        closing(NodeProcess.start("restart-publisher-again", "feed.mode", "publish", "broker.url", url, "feed.ticksPerSecond", "200"));
        assertEquals(1001, client.awaitClose(), "a client of the old run is told to reconnect: " + client.closeReason());

        try (TestClient again = TestClient.connect(east.stream(""))) {
            String newEpoch = again.next("hello").getString("epoch");
            assertNotEquals(oldEpoch, newEpoch, "hello names the new run");
            again.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"],\"since\":{\"ACME\":" + lastSeen + "},\"epoch\":\"" + oldEpoch + "\"}");
            JsonObject quote = again.next(quoteOf("ACME"));
            assertTrue(quote.getBoolean("snapshot", false) && quote.getBoolean("gap", false),
                    "seq numbers of the old run resume nothing: " + quote);
        }
    }
}
