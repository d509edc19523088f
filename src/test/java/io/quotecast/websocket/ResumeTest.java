package io.quotecast.websocket;

import io.quotecast.stream.QuoteHub;
import io.quotecast.testing.Eventually;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.RunningServer;
import io.quotecast.testing.TestClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client whose connection dropped resumes with {@code since} and misses nothing. */
@RealParts
class ResumeTest {

    private static final List<String> SYMBOLS = List.of("ACME", "GLOBX", "KAZE");

    @Test
    void fiveAbruptDisconnectsAndResumesAtAHighTickRateLeaveNoHoleAndNoDuplicate() {
        try (RunningServer server = RunningServer.start("feed.ticksPerSecond", "5000")) {
            Map<String, Long> lastSeen = new HashMap<>();
            Map<String, List<Long>> seen = new HashMap<>();
            SYMBOLS.forEach(symbol -> seen.put(symbol, new ArrayList<>()));

            TestClient client = server.connect();
            client.send(subscribe(null));
            for (int round = 0; round <= 5; round++) {
                // Read a while, recording every seq of every symbol.
                for (int i = 0; i < 60; i++) {
                    JsonObject quote = client.next(TestClient.ofType("quote"));
                    String symbol = quote.getString("symbol");
                    long seq = quote.getJsonNumber("seq").longValue();
                    seen.get(symbol).add(seq);
                    lastSeen.put(symbol, seq);
                    assertFalse(quote.getBoolean("gap", false), "no gap while the buffer holds the missed ticks");
                }
                if (round == 5) {
                    break;
                }
                client.abort(); // no close frame: a pulled cable
                long acmeBefore = lastSeen.get("ACME");
                Eventually.await("the feed moves on while the client is away",
                        () -> latestSeq(server, "ACME") > acmeBefore + 20);
                client = server.connect();
                client.send(subscribe(lastSeen));
            }
            client.close();
            for (String symbol : SYMBOLS) {
                List<Long> seqs = seen.get(symbol);
                for (int i = 1; i < seqs.size(); i++) {
                    assertEquals(seqs.get(i - 1) + 1, seqs.get(i), symbol + " seqs contiguous across resumes: " + seqs);
                }
            }
        }
    }

    @Test
    void aResumeFromTicksNoLongerBufferedGetsTheSnapshotMarkedAsAGap() {
        try (RunningServer server = RunningServer.start("feed.ticksPerSecond", "2000", "history.ticksPerSymbol", "10")) {
            long last;
            try (TestClient client = TestClient.connect(server.stream("?symbols=ACME"))) {
                last = client.next(quoteOf("ACME")).getJsonNumber("seq").longValue();
                client.abort();
            }
            Eventually.await("the buffer rolls past the client's last seq", () -> latestSeq(server, "ACME") > last + 30);
            try (TestClient client = server.connect()) {
                client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"],\"since\":{\"ACME\":" + last + "}}");
                client.next("subscribed");
                JsonObject first = client.next(quoteOf("ACME"));
                assertTrue(first.getBoolean("snapshot", false), first.toString());
                assertTrue(first.getBoolean("gap", false), first.toString());
                assertTrue(first.getJsonNumber("seq").longValue() > last + 30);
            }
        }
    }

    @Test
    void aResumeFromASeqTheServerHasNotReachedIsAGap() {
        try (RunningServer server = RunningServer.start("feed.ticksPerSecond", "500");
             TestClient client = server.connect()) {
            // e.g. a client resuming against a server that restarted and counts from 1 again
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"acme\"],\"since\":{\"ACME\":99999999}}");
            JsonObject first = client.next(quoteOf("ACME"));
            assertTrue(first.getBoolean("snapshot", false) && first.getBoolean("gap", false), first.toString());
        }
    }

    @Test
    void aResumeOfAClientThatMissedNothingSendsOnlyLiveQuotes() {
        try (RunningServer server = RunningServer.start("feed.ticksPerSecond", "500");
             TestClient client = server.connect()) {
            Eventually.await("a few ticks of ACME", () -> latestSeq(server, "ACME") > 10);
            long latest = latestSeq(server, "ACME");
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"],\"since\":{\"acme\":" + (latest - 3) + "}}");
            client.next("subscribed");
            long expected = latest - 2;
            for (int i = 0; i < 10; i++) {
                JsonObject quote = client.next(quoteOf("ACME"));
                assertFalse(quote.containsKey("snapshot"), "replayed and live quotes are plain quotes: " + quote);
                assertEquals(expected++, quote.getJsonNumber("seq").longValue());
            }
        }
    }

    private static long latestSeq(RunningServer server, String symbol) {
        QuoteHub hub = server.server().quotecast().hub();
        return hub.latest(hub.catalog().indexOf(symbol)).orElseThrow().seq();
    }

    private static String subscribe(Map<String, Long> since) {
        JsonObjectBuilder request = Json.createObjectBuilder()
                .add("action", "subscribe")
                .add("symbols", Json.createArrayBuilder(SYMBOLS));
        if (since != null) {
            JsonObjectBuilder seqs = Json.createObjectBuilder();
            since.forEach(seqs::add);
            request.add("since", seqs);
        }
        return request.build().toString();
    }
}
