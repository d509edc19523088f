package io.quotecast.stream;

import io.quotecast.testing.Eventually;
import io.quotecast.testing.PausedClient;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promises of the protocol's {@code quote} section, on a real server at 5000 ticks/s, with the
 * flush window at its default and off: every tick for a reader that keeps up, a snapshot on every
 * subscribe, nothing after {@code unsubscribed}, and a byte bound on what one connection may hold.
 * Each subclass runs them against a server of its own.
 */
abstract class ProtocolPromises {

    /** The server under test: 5000 ticks/s, one flush setting per subclass. */
    abstract ServerPerClass server();

    @Test
    void aClientReadingEverySymbolAt5000TicksASecondSeesEverySeqOfEverySymbol() {
        ServerPerClass server = server();
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"*\"]}");
            client.next("subscribed");
            Map<String, Long> last = new HashMap<>();
            // 10,000 quotes: two seconds of the feed.
            for (int i = 0; i < 10_000; i++) {
                JsonObject quote = client.next(TestClient.ofType("quote"));
                String symbol = quote.getString("symbol");
                long seq = quote.getJsonNumber("seq").longValue();
                Long previous = last.put(symbol, seq);
                if (previous == null) {
                    assertTrue(quote.getBoolean("snapshot", false), "a symbol starts with its snapshot: " + quote);
                } else {
                    assertEquals(previous + 1, seq, symbol + " skipped from seq " + previous + " to " + seq);
                }
            }
            assertEquals(50, last.size(), "every symbol was seen");
        }
    }

    @Test
    void aReSubscribeRightAfterAnUnsubscribeGetsItsSnapshotEveryTime() {
        ServerPerClass server = server();
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            client.next(quoteOf("ACME"));
            for (int i = 0; i < 10; i++) {
                // Both frames leave the client within a millisecond of each other.
                client.send("{\"action\":\"unsubscribe\",\"symbols\":[\"ACME\"]}");
                client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
                client.next("unsubscribed");
                assertEquals("subscribed", client.next().getString("type"), "nothing between the two replies");
                JsonObject first = client.next();
                assertEquals("ACME", first.getString("symbol", null), "the first frame after subscribed: " + first);
                assertTrue(first.getBoolean("snapshot", false), "re-subscribe " + (i + 1) + " began with a snapshot: " + first);
            }
        }
    }

    @Test
    void afterUnsubscribedNoQuoteOfTheSymbolArrives() {
        ServerPerClass server = server();
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\",\"GLOBX\"]}");
            client.next(quoteOf("ACME"));
            client.next(quoteOf("GLOBX"));
            client.send("{\"action\":\"unsubscribe\",\"symbols\":[\"ACME\"]}");
            client.next("unsubscribed");
            // Half a second of GLOBX, 100 ticks/s: any ACME quote still waiting would have come by then.
            for (int i = 0; i < 50; i++) {
                JsonObject next = client.next();
                assertEquals("GLOBX", next.getString("symbol", null), "after unsubscribed from ACME: " + next);
            }
        }
    }

    @Test
    void aClientFloodingHistoryWithoutReadingIsHeldToTheByteBoundAndClosedWhileAWatcherKeepsItsFullRate() {
        ServerPerClass server = server();
        QuoteHub hub = server.server().quotecast().hub();
        long budget = server.server().quotecast().settings().maxQueuedBytes();
        Set<Subscriber> before = hub.registry().connections();
        try (TestClient watcher = server.connect();
             PausedClient flooder = PausedClient.connect(server.stream())) {
            watcher.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            long previous = watcher.next(quoteOf("ACME")).getJsonNumber("seq").longValue();
            Eventually.await("both connections registered", () -> hub.registry().connectionCount() >= before.size() + 2);
            Subscriber flooding = hub.registry().connections().stream()
                    .filter(s -> !before.contains(s) && s.subscribedCount() == 0).findFirst().orElseThrow();
            long mostHeld = 0;
            int sent = 0;
            while (sent < 50_000 && flooder.sendText(
                    "{\"action\":\"history\",\"symbol\":\"ACME\",\"interval\":\"1s\",\"limit\":1000}")) {
                sent++;
                mostHeld = Math.max(mostHeld, flooding.charsWaiting());
            }
            final int requests = sent;
            Eventually.await("the flooder is dropped after " + requests + " requests",
                    () -> !hub.registry().connections().contains(flooding));
            int code = flooder.readUntilClose(TestClient.TIMEOUT);
            // A client that never reads may lose the close frame to the reset its unread requests cause.
            assertTrue(code == Subscriber.CLOSE_NOT_READING || code == PausedClient.RESET, "closed: " + code);
            assertTrue(mostHeld <= budget + 100_000, "held " + mostHeld + " bytes for the flooder, budget " + budget);
            assertNotEquals(0, mostHeld);
            for (int i = 0; i < 100; i++) {
                long seq = watcher.next(quoteOf("ACME")).getJsonNumber("seq").longValue();
                assertEquals(previous + 1, seq, "the watcher keeps every tick");
                previous = seq;
            }
        }
    }
}
