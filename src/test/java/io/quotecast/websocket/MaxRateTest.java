package io.quotecast.websocket;

import io.quotecast.stream.QuoteHub;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code maxRate} on subscribe: at most that many quotes per second per symbol, the latest one winning. */
@RealParts
class MaxRateTest {

    /** 1000 ticks/s over 50 symbols: 20 ticks/s of each. */
    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "1000");

    @Test
    void maxRateCapsTheQuotesPerSecondAndSendsTheLatestPrice() {
        int acme = hub().catalog().indexOf("ACME");
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"],\"maxRate\":2}");
            assertEquals(Set.of("ACME"), ConnectingTest.strings(client.next("subscribed")));
            assertTrue(client.next(quoteOf("ACME")).getBoolean("snapshot", false), "the snapshot comes first");
            client.next(quoteOf("ACME"));

            // Every quote that arrives is the latest the feed had (a tick or two may land in transit).
            long[] lagBehindLatest = {0};
            List<JsonObject> quotes = client.collect(frame -> {
                if (!quoteOf("ACME").test(frame)) {
                    return false;
                }
                long latest = hub().latest(acme).orElseThrow().seq();
                lagBehindLatest[0] = Math.max(lagBehindLatest[0], latest - frame.getJsonNumber("seq").longValue());
                return true;
            }, Duration.ofSeconds(3));

            // 3 s at 2 per second: 6, one more if the window straddles an interval; the feed had ~60.
            assertTrue(quotes.size() <= 7, "at most 2 quotes/s over 3 s, got " + quotes.size());
            assertTrue(quotes.size() >= 4, "the capped stream keeps flowing: " + quotes.size());
            long previous = 0;
            boolean jumped = false;
            for (JsonObject quote : quotes) {
                long seq = quote.getJsonNumber("seq").longValue();
                assertTrue(seq > previous, "seq never goes back: " + quotes);
                jumped |= previous > 0 && seq > previous + 1;
                previous = seq;
            }
            assertTrue(jumped, "seq jumps where the server conflated: " + quotes);
            assertTrue(lagBehindLatest[0] <= 3,
                    "a capped quote is the latest one, not an old one: " + lagBehindLatest[0] + " ticks behind");
        }
    }

    @Test
    void eachSymbolIsCappedOnItsOwn() {
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\",\"GLOBX\"],\"maxRate\":1}");
            client.next("subscribed");
            client.next(quoteOf("GLOBX"));
            List<JsonObject> quotes = client.collect(TestClient.ofType("quote"), Duration.ofSeconds(3));
            long acme = quotes.stream().filter(quoteOf("ACME")).count();
            long globx = quotes.stream().filter(quoteOf("GLOBX")).count();
            assertTrue(acme >= 2 && acme <= 4, "ACME at 1/s over 3 s: " + acme);
            assertTrue(globx >= 2 && globx <= 4, "GLOBX at 1/s over 3 s: " + globx);
        }
    }

    @Test
    void changingOnlyTheRateListsTheSymbolAsChangedWithoutANewSnapshot() {
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            assertEquals(Set.of("ACME"), ConnectingTest.strings(client.next("subscribed")));
            client.next(quoteOf("ACME"));

            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\",\"GLOBX\"],\"maxRate\":5}");
            JsonObject changed = client.next("subscribed");
            assertEquals(Set.of("ACME", "GLOBX"), ConnectingTest.strings(changed), "ACME changed (its rate), GLOBX was added");
            // Frames after that reply (history may already hold some that arrived with it).
            int changedAt = client.history().indexOf(changed) + 1;
            client.next(quoteOf("GLOBX"));
            client.next(quoteOf("ACME"));
            client.next(quoteOf("ACME"));

            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"],\"maxRate\":5}");
            assertEquals(Set.of(), ConnectingTest.strings(client.next("subscribed")), "same rate: nothing changed");

            List<JsonObject> after = client.history().subList(changedAt, client.history().size());
            assertFalse(after.stream().anyMatch(f -> quoteOf("ACME").test(f) && f.getBoolean("snapshot", false)),
                    "no new ACME snapshot for a rate change: " + after);
            assertTrue(after.stream().anyMatch(f -> quoteOf("GLOBX").test(f) && f.getBoolean("snapshot", false)),
                    "GLOBX, added, starts with its snapshot: " + after);
        }
    }

    @Test
    void subscribingAgainWithoutMaxRateLiftsTheCap() {
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"],\"maxRate\":1}");
            client.next("subscribed");
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            assertEquals(Set.of("ACME"), ConnectingTest.strings(client.next("subscribed")), "the cap changed");
            long previous = client.next(quoteOf("ACME")).getJsonNumber("seq").longValue();
            previous = client.next(quoteOf("ACME")).getJsonNumber("seq").longValue();
            for (int i = 0; i < 10; i++) {
                long seq = client.next(quoteOf("ACME"), Duration.ofSeconds(2)).getJsonNumber("seq").longValue();
                assertEquals(previous + 1, seq, "uncapped again: every tick");
                previous = seq;
            }
        }
    }

    private static QuoteHub hub() {
        return server.server().quotecast().hub();
    }
}
