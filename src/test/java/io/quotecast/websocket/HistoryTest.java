package io.quotecast.websocket;

import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@RealParts
class HistoryTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "2500");

    @Test
    void oneSecondBarsMatchTheQuotesAClientRecorded() {
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            client.next(quoteOf("ACME")); // the snapshot: live ticks follow without a hole
            List<JsonObject> quotes = new ArrayList<>();
            long firstTs = -1;
            while (quotes.isEmpty() || quotes.get(quotes.size() - 1).getJsonNumber("ts").longValue() < firstTs + 3_200) {
                JsonObject quote = client.next(quoteOf("ACME"));
                if (!quotes.isEmpty()) {
                    long previous = quotes.get(quotes.size() - 1).getJsonNumber("seq").longValue();
                    assertEquals(previous + 1, quote.getJsonNumber("seq").longValue(), "the recording has every tick");
                } else {
                    firstTs = quote.getJsonNumber("ts").longValue();
                }
                quotes.add(quote);
            }
            client.send("{\"action\":\"history\",\"symbol\":\"acme\",\"interval\":\"1s\",\"limit\":20}");
            JsonObject reply = client.next("bars");
            assertEquals("ACME", reply.getString("symbol"));
            assertEquals("1s", reply.getString("interval"));
            Map<Long, JsonObject> bars = new TreeMap<>();
            long previousStart = Long.MIN_VALUE;
            for (JsonObject bar : reply.getJsonArray("bars").getValuesAs(JsonObject.class)) {
                long start = bar.getJsonNumber("t").longValue();
                assertTrue(start > previousStart, "oldest first");
                assertEquals(0, start % 1000);
                previousStart = start;
                bars.put(start, bar);
            }

            Map<Long, List<JsonObject>> bySecond = new TreeMap<>();
            for (JsonObject quote : quotes) {
                long second = quote.getJsonNumber("ts").longValue() / 1000 * 1000;
                bySecond.computeIfAbsent(second, s -> new ArrayList<>()).add(quote);
                JsonObject bar = bars.get(second);
                assertTrue(bar != null, "a bar for every second with a tick: " + second);
                BigDecimal price = quote.getJsonNumber("price").bigDecimalValue();
                assertTrue(bar.getJsonNumber("l").bigDecimalValue().compareTo(price) <= 0
                        && price.compareTo(bar.getJsonNumber("h").bigDecimalValue()) <= 0, "l <= price <= h: " + bar + " " + quote);
            }
            // The seconds wholly inside the recording: first and last price, and the volume traded.
            List<Long> seconds = new ArrayList<>(bySecond.keySet());
            assertTrue(seconds.size() >= 3, "recorded " + seconds);
            for (Long second : seconds.subList(1, seconds.size() - 1)) {
                List<JsonObject> inBar = bySecond.get(second);
                JsonObject bar = bars.get(second);
                assertEquals(0, price(inBar.get(0)).compareTo(bar.getJsonNumber("o").bigDecimalValue()), "o: " + bar);
                assertEquals(0, price(inBar.get(inBar.size() - 1)).compareTo(bar.getJsonNumber("c").bigDecimalValue()), "c: " + bar);
                long before = volumeBefore(quotes, inBar.get(0));
                long traded = inBar.get(inBar.size() - 1).getJsonNumber("volume").longValue() - before;
                assertEquals(traded, bar.getJsonNumber("v").longValue(), "v: " + bar);
            }
        }
    }

    @Test
    void minuteBarsStartOnTheMinuteAndIncludeTheCurrentBar() {
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"history\",\"symbol\":\"GLOBX\",\"interval\":\"1m\"}");
            List<JsonObject> bars = client.next("bars").getJsonArray("bars").getValuesAs(JsonObject.class);
            assertTrue(!bars.isEmpty() && bars.size() <= 300);
            JsonObject current = bars.get(bars.size() - 1);
            assertEquals(0, current.getJsonNumber("t").longValue() % 60_000);
            assertTrue(System.currentTimeMillis() - current.getJsonNumber("t").longValue() < 2 * 60_000, current.toString());
        }
    }

    @Test
    void limitCapsTheNumberOfBars() {
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"history\",\"symbol\":\"ACME\",\"interval\":\"1s\",\"limit\":1}");
            assertEquals(1, client.next("bars").getJsonArray("bars").size());
        }
    }

    @Test
    void anUnknownIntervalIsABadRequestNamingTheField() {
        assertBadRequestNaming("{\"action\":\"history\",\"symbol\":\"ACME\",\"interval\":\"5m\"}", "interval", "history");
    }

    @Test
    void aLimitAboveOneThousandIsABadRequestNamingTheField() {
        assertBadRequestNaming("{\"action\":\"history\",\"symbol\":\"ACME\",\"interval\":\"1s\",\"limit\":1001}", "limit", "history");
    }

    @Test
    void aLimitOfZeroIsABadRequestNamingTheField() {
        assertBadRequestNaming("{\"action\":\"history\",\"symbol\":\"ACME\",\"interval\":\"1s\",\"limit\":0}", "limit", "history");
    }

    @Test
    void aLimitThatIsNotANumberIsABadRequestNamingTheField() {
        assertBadRequestNaming("{\"action\":\"history\",\"symbol\":\"ACME\",\"interval\":\"1s\",\"limit\":\"ten\"}", "limit", "history");
    }

    @Test
    void aMissingSymbolIsABadRequestNamingTheField() {
        assertBadRequestNaming("{\"action\":\"history\",\"interval\":\"1s\"}", "symbol", "history");
    }

    @Test
    void sinceThatIsNotAnObjectIsABadRequestNamingTheField() {
        assertBadRequestNaming("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"],\"since\":[1]}", "since", "subscribe");
    }

    @Test
    void aNegativeSeqInSinceIsABadRequestNamingTheField() {
        assertBadRequestNaming("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"],\"since\":{\"ACME\":-1}}", "since", "subscribe");
    }

    @Test
    void aFractionalSeqInSinceIsABadRequestNamingTheField() {
        assertBadRequestNaming("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"],\"since\":{\"ACME\":1.5}}", "since", "subscribe");
    }

    @Test
    void aSeqInSinceThatIsAStringIsABadRequestNamingTheField() {
        assertBadRequestNaming("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"],\"since\":{\"ACME\":\"12\"}}", "since", "subscribe");
    }

    @Test
    void historyOfAnUnknownSymbolIsUnknownSymbol() {
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"history\",\"symbol\":\"NOPE\",\"interval\":\"1s\"}");
            JsonObject error = client.next("error");
            assertEquals("unknown_symbol", error.getString("code"));
            assertEquals("history", error.getString("action"));
        }
    }

    private static void assertBadRequestNaming(String request, String field, String action) {
        try (TestClient client = server.connect()) {
            client.next("hello");
            client.sendMalformed(request);
            JsonObject error = client.next();
            assertEquals("error", error.getString("type"), error.toString());
            assertEquals("bad_request", error.getString("code"));
            assertEquals(action, error.getString("action"));
            assertTrue(error.getString("message").contains("'" + field), error.toString());
            client.send("{\"action\":\"list\"}");
            client.next("symbols");
        }
    }

    private static BigDecimal price(JsonObject quote) {
        return quote.getJsonNumber("price").bigDecimalValue();
    }

    private static long volumeBefore(List<JsonObject> quotes, JsonObject quote) {
        int at = quotes.indexOf(quote);
        return quotes.get(at - 1).getJsonNumber("volume").longValue();
    }
}
