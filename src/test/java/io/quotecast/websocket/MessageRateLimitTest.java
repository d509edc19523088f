package io.quotecast.websocket;

import io.quotecast.testing.Eventually;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import static io.quotecast.testing.TestClient.ofType;
import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** connection.maxMessagesPerSecond at its default (20, bursts of 40), over the wire. */
class MessageRateLimitTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "500");

    /** A message over the rate is answered rate_limited and not applied; the others are. */
    @Test
    void aMessageOverTheRateIsRefusedAndNotApplied() {
        List<String> tickers = server.server().quotecast().hub().catalog().all().stream().map(s -> s.ticker()).toList();
        assertEquals(50, tickers.size());
        try (TestClient client = server.connect()) {
            client.next("hello");
            // 50 one-symbol subscribes at once: the burst is 40, so some are refused.
            for (String ticker : tickers) {
                client.send("{\"action\":\"subscribe\",\"symbols\":[\"" + ticker + "\"]}");
            }
            Set<String> applied = new HashSet<>();
            int refused = 0;
            while (applied.size() + refused < tickers.size()) {
                JsonObject reply = client.next(ofType("subscribed").or(ofType("error")));
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
            JsonObject unsubscribed = awaitAccepted(client, "{\"action\":\"unsubscribe\",\"symbols\":[\"*\"]}", "unsubscribed");
            assertEquals(applied, symbols(unsubscribed), "the refused subscribes were not applied");
            assertFalse(client.isClosedByServer());
        }
    }

    /** A flooder is closed with 1008; a watcher on the same server gets every tick all along. */
    @Test
    void aFlooderIsClosedWith1008WhileAWatcherKeepsItsFullRate() {
        try (TestClient watcher = TestClient.connect(server.stream("?symbols=ACME"));
             TestClient flooder = server.connect()) {
            long firstSeq = seq(watcher.next(quoteOf("ACME")));
            flooder.next("hello");
            // In lockstep (each reply, or the close, awaited before the next request): a client still
            // writing when the server closes can have the close frame destroyed by the TCP reset.
            int sent = 0;
            while (sent < 1_000 && !flooder.isClosedByServer()) {
                int before = flooder.history().size();
                try {
                    flooder.send("{\"action\":\"list\"}");
                } catch (CompletionException closedUnderUs) {
                    break;
                }
                sent++;
                Eventually.await("a reply or the close", () -> flooder.history().size() > before || flooder.isClosedByServer());
            }
            int code = flooder.awaitClose();
            assertEquals(1008, code, "closed for going on above the rate, after " + sent + " messages");
            assertTrue(sent >= 80 && sent < 200, sent + " messages: 40 of the burst (and what refills), 40 refusals, the close");
            long rateLimited = flooder.history().stream().filter(ofType("error"))
                    .filter(e -> "rate_limited".equals(e.getString("code"))).count();
            assertTrue(rateLimited >= 30, rateLimited + " rate_limited errors before the close");
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

    /** Sends {@code request} until it is accepted (the bucket refilled), waiting on the reply; at most a few tries. */
    private static JsonObject awaitAccepted(TestClient client, String request, String replyType) {
        long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            client.send(request);
            JsonObject reply = client.next(ofType(replyType).or(ofType("error")));
            if (reply.getString("type").equals(replyType)) {
                return reply;
            }
            assertEquals("rate_limited", reply.getString("code"));
            Eventually.await("a moment", () -> true, Duration.ofMillis(100));
            client.collect(frame -> false, Duration.ofMillis(200));
        }
        throw new AssertionError("never accepted: " + request);
    }

    private static Set<String> symbols(JsonObject reply) {
        return reply.getJsonArray("symbols").getValuesAs(JsonString.class).stream().map(JsonString::getString)
                .collect(Collectors.toSet());
    }

    private static long seq(JsonObject quote) {
        return quote.getJsonNumber("seq").longValue();
    }
}
