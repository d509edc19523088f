package io.quotecast.behaviour;

import io.quotecast.testing.Eventually;
import io.quotecast.testing.PausedClient;
import io.quotecast.testing.PrometheusText;
import io.quotecast.testing.StreamServer;
import io.quotecast.testing.TestClient;
import io.quotecast.testing.ConfiguredSymbols;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that stop reading, seen from the wire: they slow nobody else down, they are conflated
 * rather than queued for, and one that stays stuck is closed with 1008. Time is read from the feed
 * ({@code ts} of a watcher's quotes), never slept away.
 */
public interface SlowClientBehaviour {

    StreamServer server();

    /** {@code connection.stuckTimeoutMillis} of the server under test: longer than {@link #FALL_BEHIND_MILLIS}. */
    long stuckTimeoutMillis();

    /**
     * How long a paused client of every symbol stays paused to fall far behind: at a few thousand
     * ticks a second, more than the kernel's socket buffers (4 MiB at most here) and the server's
     * in-order backlog hold.
     */
    long FALL_BEHIND_MILLIS = 5_000;

    @Test

    @Tag(ProtocolPromises.BEHAVIOUR)
    @Order(520)
    default void aPausedClientDoesNotSlowDownAReadingOne() {
        try (PausedClient paused = PausedClient.connect(server().stream("?symbols=*"));
             TestClient reader = TestClient.connect(server().stream("?symbols=ACME"))) {
            long previous = seq(reader.next(quoteOf("ACME")));
            JsonObject first = reader.next(quoteOf("ACME"));
            assertEquals(previous + 1, seq(first));
            previous = seq(first);
            // Three seconds of the feed, every ACME tick of them, while the paused client's buffers fill.
            JsonObject quote = first;
            while (ts(quote) - ts(first) < 3_000) {
                quote = reader.next(quoteOf("ACME"));
                assertEquals(previous + 1, seq(quote), "the reading client keeps the full rate despite the paused one");
                previous = seq(quote);
            }
        }
    }

    @Test

    @Tag(ProtocolPromises.BEHAVIOUR)
    @Order(521)
    default void aClientThatFallsFarBehindThenReadsAgainSeesSeqOnlyMoveForward() {
        try (PausedClient paused = PausedClient.connect(server().stream("?symbols=*"));
             TestClient watcher = TestClient.connect(server().stream("?symbols=ACME"))) {
            awaitFeedTime(watcher, FALL_BEHIND_MILLIS);
            List<String> frames = paused.readTextFrames(40_000);
            assertEquals(40_000, frames.size(), "the stream goes on once the client reads again");
            Map<String, Long> lastSeq = new HashMap<>();
            boolean jumped = false;
            for (String text : frames) {
                JsonObject frame = Json.createReader(new StringReader(text)).readObject();
                if (!"quote".equals(frame.getString("type"))) {
                    continue;
                }
                String symbol = frame.getString("symbol");
                Long previous = lastSeq.put(symbol, seq(frame));
                assertTrue(previous == null || seq(frame) > previous, symbol + " went from seq " + previous + " to " + seq(frame));
                jumped |= previous != null && seq(frame) > previous + 1;
            }
            assertEquals(ConfiguredSymbols.count(), lastSeq.size(), "every subscribed symbol came through");
            assertConflated(jumped);
        }
    }

    @Test

    @Tag(ProtocolPromises.BEHAVIOUR)
    @Order(522)
    default void aClientStuckForLongerThanTheTimeoutIsClosedWith1008AndNobodyElseNotices() {
        try (TestClient reader = TestClient.connect(server().stream("?symbols=ACME"))) {
            reader.next(quoteOf("ACME"));
            try (PausedClient paused = PausedClient.connect(server().stream("?symbols=*"))) {
                // Its buffers fill within seconds; then its one write waits out the timeout.
                awaitFeedTime(reader, FALL_BEHIND_MILLIS + stuckTimeoutMillis() + 2_000);
                assertClosedAsStuck(paused);
            }
            long previous = seq(reader.next(quoteOf("ACME")));
            for (int i = 0; i < 10; i++) {
                long seq = seq(reader.next(quoteOf("ACME")));
                assertEquals(previous + 1, seq, "the reader still receives every tick");
                previous = seq;
            }
            assertFalse(reader.isClosedByServer(), "the reading client stays connected");
        }
    }

    @Test

    @Tag(ProtocolPromises.BEHAVIOUR)
    @Order(523)
    default void clientsThatVanishWithoutACloseLeaveNoConnectionBehind() {
        double before = openConnections();
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                TestClient client = TestClient.connect(server().stream("?symbols=ACME"));
                client.next(quoteOf("ACME"));
                clients.add(client);
            }
            assertTrue(openConnections() >= 5, "the server counts the five open connections");
        } finally {
            clients.forEach(TestClient::abort); // no close frame: the TCP connection just ends
        }
        // Connections of earlier tests may still be closing: the count only falls.
        Eventually.await("the server forgets the vanished clients", () -> openConnections() <= before,
                Duration.ofSeconds(20));
    }

    /** {@code quotecast_connections_open}, from the server's {@code /metrics}, as Prometheus would scrape it. */
    private double openConnections() {
        try {
            HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(server().page("/metrics")).timeout(TestClient.TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return PrometheusText.parse(response.body()).value("quotecast_connections_open");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * That the quotes which waited for the client were conflated, {@code jumped} telling whether its
     * {@code seq} jumped: the server held the latest quote of each symbol, not the backlog.
     */
    default void assertConflated(boolean jumped) {
        assertTrue(jumped, "quotes that waited were conflated: seq jumps");
    }

    /**
     * What a client closed as stuck finds once it reads again. The close frame waits behind what it
     * never read: it finds it, or the connection ends without it (a reset). A client that reads
     * nothing does not answer the keepalive pings either, so where those come often (the
     * application servers' tests ping every second) it may be closed for the missing pong first:
     * 1001, as the protocol page says.
     */
    default void assertClosedAsStuck(PausedClient paused) {
        int code = paused.readUntilClose(TestClient.TIMEOUT);
        assertTrue(code == ProtocolPromises.CLOSE_NOT_READING || code == CLOSE_NO_PONG || code == PausedClient.RESET,
                "the stuck client was closed with 1008 (or 1001 for its missing pong), not left open: " + code);
    }

    /** 1001: the close code for a client that did not answer a ping in time (protocol page, close codes). */
    int CLOSE_NO_PONG = 1001;

    /** Reads the watcher's quotes until the feed's clock has moved on by {@code millis}. */
    private static void awaitFeedTime(TestClient watcher, long millis) {
        long start = ts(watcher.next(quoteOf("ACME")));
        Eventually.await("the feed moves on " + millis + " ms",
                () -> ts(watcher.next(quoteOf("ACME"))) - start >= millis, Duration.ofMillis(millis + 30_000));
    }

    private static long seq(JsonObject quote) {
        return quote.getJsonNumber("seq").longValue();
    }

    private static long ts(JsonObject quote) {
        return quote.getJsonNumber("ts").longValue();
    }
}
