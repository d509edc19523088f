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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client that stops reading costs bounded memory and slows nobody else down. */
class SlowClientTest {

    // 2000 ticks/s, ~600 KB/s to a client of every symbol: its socket buffers fill within seconds.
    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "2000");

    @Test
    void aPausedClientDoesNotSlowAReadingOneAndItsOutboxStaysBounded() {
        Set<Subscriber> before = hub().registry().connections();
        try (PausedClient paused = PausedClient.connect(server.stream("?symbols=*"))) {
            Eventually.await("the paused client is registered", () -> hub().registry().connectionCount() > before.size());
            Subscriber stalled = hub().registry().connections().stream().filter(s -> !before.contains(s)).findFirst().orElseThrow();
            // Its socket buffers full (the kernel takes a few MB before that), one write stays in flight.
            Eventually.await("the paused client has had a write in flight for half a second",
                    () -> stalled.stuckFor(System.nanoTime()) > Duration.ofMillis(500).toNanos(), Duration.ofSeconds(30));

            try (TestClient reader = server.connect()) {
                reader.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
                long previous = reader.next(quoteOf("ACME")).getJsonNumber("seq").longValue();
                int mostWaiting = 0;
                long mostChars = 0;
                // 60 ticks of ACME, 1.5 s at 40/s: every one of them arrives, in order.
                for (int i = 0; i < 60; i++) {
                    long seq = reader.next(quoteOf("ACME")).getJsonNumber("seq").longValue();
                    assertEquals(previous + 1, seq, "the reading client keeps the full rate despite the paused one");
                    previous = seq;
                    mostWaiting = Math.max(mostWaiting, stalled.framesWaiting());
                    mostChars = Math.max(mostChars, stalled.charsWaiting());
                }
                assertTrue(stalled.stuckFor(System.nanoTime()) > 0, "the paused client has a frame in flight");
                // The stalled outbox holds at most half its byte budget of quotes in order (a quote is
                // over 150 bytes), then one quote per symbol.
                long budget = server.server().quotecast().settings().maxQueuedBytes();
                long bound = budget / 2 / 150 + hub().catalog().size();
                assertTrue(mostWaiting <= bound, "frames waiting for the paused client: " + mostWaiting + " > " + bound);
                // In bytes: within the connection's budget, the write in flight included; 2000 ticks/s
                // queued would be about 600 KB more every second.
                assertTrue(mostChars <= budget, "bytes held for the paused client: " + mostChars + " > " + budget);
                assertTrue(mostChars > 0, "the paused client's write in flight counts");
                assertTrue(stalled.quotesConflated() > 100, "the paused client's quotes are conflated, not queued");
            }
        }
    }

    private static QuoteHub hub() {
        return server.server().quotecast().hub();
    }
}
