package io.quotecast.stream;

import io.quotecast.testing.Eventually;
import io.quotecast.testing.PausedClient;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Set;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client with a frame in flight for longer than connection.stuckTimeoutMillis is closed with 1008. */
class StuckClientTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "2000", "connection.stuckTimeoutMillis", "1000");

    @Test
    void aStuckClientIsClosedWithPolicyViolationAndForgotten() {
        try (TestClient reader = server.connect()) {
            reader.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            reader.next(quoteOf("ACME"));
            Set<Subscriber> before = hub().registry().connections();
            try (PausedClient paused = PausedClient.connect(server.stream("?symbols=*"))) {
                Eventually.await("the paused client is registered", () -> hub().registry().connectionCount() > before.size());
                Subscriber stalled = hub().registry().connections().stream().filter(s -> !before.contains(s)).findFirst().orElseThrow();
                Eventually.await("the paused client gets stuck", () -> stalled.stuckFor(System.nanoTime()) > 0, Duration.ofSeconds(20));
                Eventually.await("the server forgets the stuck client",
                        () -> !hub().registry().connections().contains(stalled), Duration.ofSeconds(30));

                assertEquals(Subscriber.CLOSE_NOT_READING, paused.readUntilClose(Duration.ofSeconds(10)),
                        "the close code the stuck client finds once it reads again");
            }
            // The feed and the other client never noticed.
            long previous = reader.next(quoteOf("ACME")).getJsonNumber("seq").longValue();
            for (int i = 0; i < 10; i++) {
                long seq = reader.next(quoteOf("ACME")).getJsonNumber("seq").longValue();
                assertTrue(seq > previous, "the reader still receives live quotes");
                previous = seq;
            }
            assertFalse(reader.isClosedByServer(), "the reading client stays connected");
        }
    }

    private static QuoteHub hub() {
        return server.server().quotecast().hub();
    }
}
