package io.quotecast.behaviour;

import io.quotecast.testing.StreamServer;
import io.quotecast.testing.TestClient;
import io.quotecast.testing.ConfiguredSymbols;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Subscriptions as a client shapes them: {@code *}, {@code maxRate}, and resuming across a gap or a restart. */
public interface SubscriptionBehaviour {

    StreamServer server();

    @Test

    @Tag(ProtocolPromises.BEHAVIOUR)
    @Order(540)
    default void starSubscribesEverySymbolWithASnapshotOfEachAndStarUnsubscribesThemAll() {
        try (TestClient client = server().connect()) {
            client.next("hello");
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"*\"]}");
            assertEquals(ConfiguredSymbols.count(), client.next("subscribed").getJsonArray("symbols").size());
            Set<String> snapshots = new HashSet<>();
            while (snapshots.size() < 50) {
                JsonObject quote = client.next(TestClient.ofType("quote"));
                if (quote.getBoolean("snapshot", false)) {
                    snapshots.add(quote.getString("symbol"));
                }
            }
            client.send("{\"action\":\"unsubscribe\",\"symbols\":[\"*\"]}");
            assertEquals(ConfiguredSymbols.count(), client.next("unsubscribed").getJsonArray("symbols").size());
            client.send("{\"action\":\"list\"}");
            client.next("symbols");
            List<JsonObject> all = client.history();
            int unsubscribed = indexOf(all, "unsubscribed");
            assertTrue(all.subList(unsubscribed, all.size()).stream().noneMatch(TestClient.ofType("quote")),
                    "no quote after unsubscribing from every symbol");
        }
    }

    @Test

    @Tag(ProtocolPromises.BEHAVIOUR)
    @Order(541)
    default void maxRateCapsTheQuotesOfASymbolAndTheLatestPriceWins() {
        try (TestClient client = server().connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"],\"maxRate\":2}");
            client.next("subscribed");
            JsonObject first = client.next(quoteOf("ACME"));
            assertTrue(first.getBoolean("snapshot", false), "the snapshot comes first: " + first);
            List<JsonObject> quotes = new ArrayList<>();
            JsonObject last = first;
            // Three seconds of the feed: at most 2 quotes a second, each a jump over the ticks between.
            while (ts(last) - ts(first) < 3_000) {
                last = client.next(quoteOf("ACME"));
                quotes.add(last);
            }
            assertTrue(quotes.size() <= 3 * 2 + 1, quotes.size() + " ACME quotes in 3 s at maxRate 2");
            long ticksPerQuote = (seq(last) - seq(first)) / quotes.size();
            assertTrue(ticksPerQuote > 1 || server().ticksPerSecond() / 50 <= 2, "the ticks in between are conflated");
        }
    }

    @Test

    @Tag(ProtocolPromises.BEHAVIOUR)
    @Order(542)
    default void aResumeWithTheEpochOfAnotherRunGetsSnapshotsMarkedAsAGap() {
        String epoch;
        long last;
        try (TestClient client = TestClient.connect(server().stream("?symbols=ACME"))) {
            epoch = client.next("hello").getString("epoch");
            last = seq(client.next(quoteOf("ACME")));
        }
        try (TestClient client = server().connect()) {
            assertEquals(epoch, client.next("hello").getString("epoch"), "one run, one epoch");
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"],\"since\":{\"ACME\":" + last
                    + "},\"epoch\":\"" + epoch + "-before-a-restart\"}");
            client.next("subscribed");
            JsonObject first = client.next(quoteOf("ACME"));
            assertTrue(first.getBoolean("snapshot", false) && first.getBoolean("gap", false), first.toString());
        }
    }

    @Test

    @Tag(ProtocolPromises.BEHAVIOUR)
    @Order(543)
    default void aResumeWithTheSameEpochReplaysTheMissedTicksWithoutAGap() {
        String epoch;
        long last;
        try (TestClient client = TestClient.connect(server().stream("?symbols=ACME"))) {
            epoch = client.next("hello").getString("epoch");
            client.next(quoteOf("ACME"));
            last = seq(client.next(quoteOf("ACME")));
        }
        try (TestClient client = server().connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"],\"since\":{\"ACME\":" + last
                    + "},\"epoch\":\"" + epoch + "\"}");
            client.next("subscribed");
            for (long expected = last + 1; expected <= last + 5; expected++) {
                JsonObject quote = client.next(quoteOf("ACME"));
                assertFalse(quote.getBoolean("gap", false), quote.toString());
                assertEquals(expected, seq(quote), "every tick after since, in order");
            }
        }
    }

    @Test

    @Tag(ProtocolPromises.BEHAVIOUR)
    @Order(544)
    default void aResumeFromASeqTheServerHasNotReachedIsAGap() {
        try (TestClient client = server().connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"acme\"],\"since\":{\"ACME\":999999999}}");
            JsonObject first = client.next(quoteOf("ACME"));
            assertTrue(first.getBoolean("snapshot", false) && first.getBoolean("gap", false), first.toString());
            assertNotEquals(999999999, seq(first));
        }
    }

    private static int indexOf(List<JsonObject> frames, String type) {
        for (int i = 0; i < frames.size(); i++) {
            if (type.equals(frames.get(i).getString("type", null))) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " in " + frames.stream().map(f -> f.getString("type", "?")).toList());
    }

    private static long seq(JsonObject quote) {
        return quote.getJsonNumber("seq").longValue();
    }

    private static long ts(JsonObject quote) {
        return quote.getJsonNumber("ts").longValue();
    }
}
