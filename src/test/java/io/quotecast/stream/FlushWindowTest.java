package io.quotecast.stream;

import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code connection.flushMillis}: live quotes that come for a client within a flush window of its
 * last write reach it together, at the window's end at the latest; a quote after a quiet spell is
 * not held back.
 */
class FlushWindowTest {

    static final long WINDOW_MILLIS = 500;

    /** 40 ticks/s over 50 symbols: a client of all of them gets one every 25 ms, of one symbol one every 1.25 s. */
    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(
            "feed.ticksPerSecond", "40", "connection.flushMillis", Long.toString(WINDOW_MILLIS));

    @Test
    void quotesWithinAWindowArriveTogetherAndNoLaterThanItsEnd() {
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"*\"]}");
            client.next("subscribed");
            List<Arrival> arrivals = new ArrayList<>();
            while (arrivals.size() < 60) {
                JsonObject quote = client.next(TestClient.ofType("quote"));
                long now = System.currentTimeMillis();
                if (!quote.getBoolean("snapshot", false)) {
                    arrivals.add(new Arrival(now, quote.getJsonNumber("ts").longValue()));
                }
            }
            for (Arrival arrival : arrivals) {
                assertTrue(arrival.latencyMillis() <= WINDOW_MILLIS + 500,
                        "a quote waited " + arrival.latencyMillis() + " ms, far past the window");
            }
            // 60 quotes 25 ms apart, in ~1.5 s: gathered, they come in a few bursts of many, not one by one.
            int bursts = 1;
            for (int i = 1; i < arrivals.size(); i++) {
                if (arrivals.get(i).atMillis() - arrivals.get(i - 1).atMillis() > 15) {
                    bursts++;
                }
            }
            assertTrue(bursts <= 15, "60 quotes came in " + bursts + " separate arrivals, not gathered");
        }
    }

    @Test
    void aQuoteAfterAQuietSpellGoesOutAtOnce() {
        try (TestClient client = server.connect()) {
            // ACME alone ticks every 1.25 s: each tick finds the last write more than a window old and goes at once.
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            client.next(quoteOf("ACME"));
            // The snapshot, then a first tick that may come less than a window after the snapshot was written.
            client.next(quoteOf("ACME"));
            for (int i = 0; i < 2; i++) {
                JsonObject quote = client.next(quoteOf("ACME"));
                long latency = System.currentTimeMillis() - quote.getJsonNumber("ts").longValue();
                assertTrue(latency < WINDOW_MILLIS / 2, "a lone quote was held " + latency + " ms");
            }
        }
    }

    record Arrival(long atMillis, long tsMillis) {
        long latencyMillis() {
            return atMillis - tsMillis;
        }
    }
}
