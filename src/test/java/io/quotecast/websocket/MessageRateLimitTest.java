package io.quotecast.websocket;

import io.quotecast.config.Settings;
import io.quotecast.testing.Eventually;
import io.quotecast.testing.PausedClient;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import io.quotecast.testing.ConfiguredSymbols;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.StringReader;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import static io.quotecast.testing.TestClient.ofType;
import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** connection.maxMessagesPerSecond at its default (20, bursts of 40), over the wire. */
@RealParts
class MessageRateLimitTest {

    /** {@code connection.maxMessagesPerSecond}'s default, which this class runs at. */
    private static final int MAX_MESSAGES_PER_SECOND = Settings.load().connection().maxMessagesPerSecond();

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "500");

    /** A message over the rate is answered rate_limited and not applied; the others are. */
    @Test
    void aMessageOverTheRateIsRefusedAndNotApplied() {
        List<String> tickers = server.server().quotecast().hub().catalog().all().stream().map(s -> s.ticker()).toList();
        assertEquals(ConfiguredSymbols.count(), tickers.size());
        // A raw socket writes the 50 frames at once: the server reads them within far less than the
        // half second in which its bucket (40, then 20 a second) could refill the 10 above the burst.
        try (PausedClient client = PausedClient.connect(server.stream())) {
            for (String ticker : tickers) {
                assertTrue(client.sendText("{\"action\":\"subscribe\",\"symbols\":[\"" + ticker + "\"]}"));
            }
            Set<String> applied = new HashSet<>();
            int refused = 0;
            while (applied.size() + refused < tickers.size()) {
                JsonObject reply = nextReply(client);
                if (reply.getString("type").equals("subscribed")) {
                    applied.addAll(symbols(reply));
                } else {
                    assertEquals("rate_limited", reply.getString("code"), reply.toString());
                    assertEquals("subscribe", reply.getString("action"), reply.toString());
                    refused++;
                }
            }
            assertTrue(refused >= 1 && applied.size() >= 40, applied.size() + " applied, " + refused + " refused");
            // After a pause the client may go on; what it is subscribed to is exactly what was applied.
            JsonObject unsubscribed = null;
            long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
            while (unsubscribed == null && System.nanoTime() < deadline) {
                assertTrue(client.sendText("{\"action\":\"unsubscribe\",\"symbols\":[\"*\"]}"));
                JsonObject reply = nextReply(client);
                if (reply.getString("type").equals("unsubscribed")) {
                    unsubscribed = reply;
                } else {
                    assertEquals("rate_limited", reply.getString("code"), reply.toString());
                    // A client that minds the limit retries at the rate, not as fast as replies come back:
                    // retrying at once collects a strike per refusal and, on a fast machine, is closed
                    // with 1008 as a flooder before one token has refilled.
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1) / MAX_MESSAGES_PER_SECOND);
                }
            }
            assertTrue(unsubscribed != null, "the unsubscribe was accepted once the bucket refilled");
            assertEquals(applied, symbols(unsubscribed), "the refused subscribes were not applied");
        }
    }

    /** The next reply (subscribed, unsubscribed or error), skipping hello and quotes. */
    private static JsonObject nextReply(PausedClient client) {
        while (true) {
            List<String> frames = client.readTextFrames(1);
            if (frames.isEmpty()) {
                throw new AssertionError("closed by the server");
            }
            JsonObject frame = Json.createReader(new StringReader(frames.get(0))).readObject();
            String type = frame.getString("type", "");
            if (type.equals("subscribed") || type.equals("unsubscribed") || type.equals("error")) {
                return frame;
            }
        }
    }

    /** A flooder is closed with 1008; a watcher on the same server gets every tick all along. */
    @Test
    void aFlooderIsClosedWith1008WhileAWatcherKeepsItsFullRate() {
        try (TestClient watcher = TestClient.connect(server.stream("?symbols=ACME"));
             TestClient flooder = server.connect()) {
            long firstSeq = seq(watcher.next(quoteOf("ACME")));
            flooder.next("hello");
            // In batches of 10, each batch's replies (or the close) awaited before the next: fast enough to
            // outrun the bucket on a loaded machine, and few unread requests when the server closes (a client
            // still writing then can have the close frame destroyed by the TCP reset its unread bytes cause).
            int sent = 0;
            while (sent < 2_000 && !flooder.isClosedByServer()) {
                int before = flooder.history().size();
                int batch = 0;
                try {
                    for (; batch < 10; batch++) {
                        flooder.send("{\"action\":\"list\"}");
                    }
                } catch (CompletionException closedUnderUs) {
                    // the close is on its way
                }
                sent += batch;
                int expected = before + batch;
                Eventually.await("replies or the close", () -> flooder.history().size() >= expected || flooder.isClosedByServer());
            }
            int code = flooder.awaitCloseOrReset();
            assertTrue(code == 1008 || code == TestClient.RESET, "closed for going on above the rate, after " + sent + " messages: " + code);
            Eventually.await("the server closed it with 1008", () -> closedWith1008() >= 1);
            assertTrue(sent >= 80, sent + " messages: 40 of the burst (and what refilled), then 40 refusals");
            double rateLimited = server.server().quotecast().operations().prometheus().orElseThrow()
                    .find("quotecast.messages.rate.limited").functionCounter().count();
            assertTrue(rateLimited >= 40, rateLimited + " messages answered rate_limited: the 40 strikes before the close");
            // The watcher saw every ACME tick, before, during and after the flood.
            long last = firstSeq;
            long until = seq(watcher.next(quoteOf("ACME"))) + 20;
            List<JsonObject> all = watcher.history();
            while (last < until) {
                long next = seq(watcher.next(quoteOf("ACME")));
                last = next;
            }
            List<Long> seqs = watcher.history().stream().filter(quoteOf("ACME")).map(MessageRateLimitTest::seq).toList();
            for (int i = 1; i < seqs.size(); i++) {
                assertEquals(seqs.get(i - 1) + 1, seqs.get(i), "every tick, in order: " + seqs);
            }
            assertTrue(all.size() > 0 && !watcher.isClosedByServer());
        }
    }

    private static double closedWith1008() {
        var counter = server.server().quotecast().operations().prometheus().orElseThrow()
                .find("quotecast.closes").tag("code", "1008").counter();
        return counter == null ? 0 : counter.count();
    }

    private static Set<String> symbols(JsonObject reply) {
        return reply.getJsonArray("symbols").getValuesAs(JsonString.class).stream().map(JsonString::getString)
                .collect(Collectors.toSet());
    }

    private static long seq(JsonObject quote) {
        return quote.getJsonNumber("seq").longValue();
    }
}
