package io.quotecast.behaviour;

import io.quotecast.testing.Eventually;
import io.quotecast.testing.LoadGenerator;
import io.quotecast.testing.PausedClient;
import io.quotecast.testing.StreamServer;
import io.quotecast.testing.TestClient;
import io.quotecast.testing.ConfiguredSymbols;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promises of the protocol's {@code quote} section, at thousands of ticks a second: every tick
 * for a reader that keeps up, a snapshot on every subscribe, nothing after {@code unsubscribed}, and
 * a connection that asks without reading closed while others keep their full rate.
 */
public interface ProtocolPromises {

    /**
     * The tag of every behaviour test: the long ones, run on every deployment but one; Tomcat 10.1, whose
     * WebSocket implementation Tomcat 11 shares, leaves them to Tomcat 11 (pom.xml, it-tomcat10).
     */
    String BEHAVIOUR = "behaviour";


    /** 1008: the close code for a client that does not read (protocol page, close codes). */
    int CLOSE_NOT_READING = 1008;

    /** The server under test; its feed runs at a few thousand ticks a second. */
    StreamServer server();

    @Test

    @Tag(BEHAVIOUR)
    @Order(500)
    default void aClientReadingEverySymbolSeesEverySeqOfEverySymbol() {
        try (TestClient client = server().connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"*\"]}");
            client.next("subscribed");
            // The first second warms the server's send path up (on an application server the JIT
            // compiles it under this very load): each symbol must start with its snapshot, and seq
            // only moves forward. From then on, every tick.
            Map<String, Long> last = new HashMap<>();
            int warmUp = (int) server().ticksPerSecond();
            for (int i = 0; i < warmUp; i++) {
                JsonObject quote = client.next(TestClient.ofType("quote"));
                long seq = quote.getJsonNumber("seq").longValue();
                Long previous = last.put(quote.getString("symbol"), seq);
                if (previous == null) {
                    assertTrue(quote.getBoolean("snapshot", false), "a symbol starts with its snapshot: " + quote);
                } else {
                    assertTrue(seq > previous, "seq never goes backwards: " + previous + " then " + quote);
                }
            }
            // Two seconds of the feed, and at least 5,000 quotes.
            int quotes = (int) Math.max(5_000, 2 * server().ticksPerSecond());
            for (int i = 0; i < quotes; i++) {
                JsonObject quote = client.next(TestClient.ofType("quote"));
                String symbol = quote.getString("symbol");
                long seq = quote.getJsonNumber("seq").longValue();
                Long previous = last.put(symbol, seq);
                if (previous != null) {
                    assertEquals(previous + 1, seq, symbol + " skipped from seq " + previous + " to " + seq);
                }
            }
            assertEquals(ConfiguredSymbols.count(), last.size(), "every symbol was seen");
        }
    }

    @Test

    @Tag(BEHAVIOUR)
    @Order(501)
    default void aReSubscribeRightAfterAnUnsubscribeGetsItsSnapshotEveryTime() {
        try (TestClient client = server().connect()) {
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

    @Tag(BEHAVIOUR)
    @Order(502)
    default void afterUnsubscribedNoQuoteOfTheSymbolArrives() {
        try (TestClient client = server().connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\",\"GLOBX\"]}");
            client.next(quoteOf("ACME"));
            client.next(quoteOf("GLOBX"));
            client.send("{\"action\":\"unsubscribe\",\"symbols\":[\"ACME\"]}");
            client.next("unsubscribed");
            // 50 GLOBX ticks: any ACME quote still waiting would have come by then.
            for (int i = 0; i < 50; i++) {
                JsonObject next = client.next();
                assertEquals("GLOBX", next.getString("symbol", null), "after unsubscribed from ACME: " + next);
            }
        }
    }

    @Test

    @Tag(BEHAVIOUR)
    @Order(503)
    default void aClientAskingForHistoryWithoutReadingIsClosedWhileAWatcherKeepsItsFullRate() {
        try (TestClient watcher = TestClient.connect(server().stream("?symbols=ACME"));
             PausedClient flooder = PausedClient.connect(server().stream(""))) {
            long previous = watcher.next(quoteOf("ACME")).getJsonNumber("seq").longValue();
            // Until the server closes it or stops reading it: the kernel takes megabytes of requests
            // before the server has read them, so stopping early and then reading would drain the very
            // replies that must pile up.
            int sent = flooder.flood("{\"action\":\"history\",\"symbol\":\"ACME\",\"interval\":\"1s\",\"limit\":1000}",
                    1_000_000, Duration.ofSeconds(2));
            int code = flooder.readUntilClose(TestClient.TIMEOUT);
            // A client that never reads may lose the close frame to the reset its unread requests cause.
            assertTrue(code == CLOSE_NOT_READING || code == PausedClient.RESET,
                    "closed after " + sent + " requests, not left open: " + code);
            for (int i = 0; i < 50; i++) {
                long seq = watcher.next(quoteOf("ACME")).getJsonNumber("seq").longValue();
                assertEquals(previous + 1, seq, "the watcher keeps every tick");
                previous = seq;
            }
            assertTrue(!watcher.isClosedByServer(), "the watcher stays connected");
        }
    }

    /**
     * Hundreds of clients on one socket each, read by the NIO clients of {@link LoadGenerator}: for
     * every tick the feed produced in a two-second window, every client of its symbol gets it, in
     * order. A send path that falls behind under many connections shows here as jumps in seq.
     */
    @Test
    @Tag(BEHAVIOUR)
    @Order(504)
    default void aFewHundredReadingClientsEachGetEveryTickOfTheirSymbol() {
        List<String> tickers = ConfiguredSymbols.tickers();
        int clients = 300;
        List<int[]> symbols = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            symbols.add(new int[] {i % tickers.size()});
        }
        URI stream = server().stream("");
        try (LoadGenerator readers = new LoadGenerator(tickers, 1)) {
            readers.connect(stream.getPort(), stream.getPath(), symbols, new boolean[clients], 64, 60_000);
            // A second to settle (the snapshot, a cold send path), then two seconds of ticks.
            long from = System.currentTimeMillis() + 1_000;
            long to = from + 2_000;
            readers.timeWindow(from, to);
            Eventually.await("every client has a quote from after the window",
                    () -> readers.stats().slowestTs >= to, Duration.ofSeconds(30));
            LoadGenerator.Stats stats = readers.stats();
            assertEquals(clients, stats.readingConnections);
            assertEquals(0, stats.readingClosed, "no client was closed");
            assertEquals(0, stats.jumps, "no client missed a tick of its symbol");
            assertEquals(0, stats.backwards, "seq never went backwards");
            long ticksInWindow = stats.expectedSeen() / (clients / tickers.size());
            assertTrue(ticksInWindow >= server().ticksPerSecond(), "the window held the feed's ticks: " + ticksInWindow);
            assertEquals(stats.expectedSeen(), stats.deliveredInWindow, "every client got every tick of the window");
        }
    }
}
