package io.quotecast.websocket;

import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import io.quotecast.testing.ConfiguredSymbols;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@RealParts
class SubscribingTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "500");

    @Test
    void listRepliesWithEverySymbolItsNameAndCurrency() {
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"list\"}");
            List<JsonObject> symbols = client.next("symbols").getJsonArray("symbols").getValuesAs(JsonObject.class);
            assertEquals(ConfiguredSymbols.count(), symbols.size());
            JsonObject acme = symbols.stream().filter(s -> s.getString("symbol").equals("ACME")).findFirst().orElseThrow();
            assertEquals("Acme Corporation", acme.getString("name"));
            assertEquals("USD", acme.getString("currency"));
        }
    }

    @Test
    void subscribeRepliesSubscribedThenTheSnapshotThenLiveQuotes() {
        try (TestClient client = server.connect()) {
            client.next("hello");
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            JsonObject subscribed = client.next();
            assertEquals("subscribed", subscribed.getString("type"));
            assertEquals(List.of("ACME"), subscribed.getJsonArray("symbols").getValuesAs(jakarta.json.JsonString.class)
                    .stream().map(jakarta.json.JsonString::getString).toList());
            JsonObject snapshot = client.next();
            assertEquals("quote", snapshot.getString("type"));
            assertTrue(snapshot.getBoolean("snapshot"));
            JsonObject live = client.next();
            assertEquals("ACME", live.getString("symbol"));
            assertFalse(live.containsKey("snapshot"), live.toString());
            assertTrue(live.getJsonNumber("seq").longValue() > snapshot.getJsonNumber("seq").longValue());
        }
    }

    @Test
    void symbolsMatchIgnoringCaseAndAreReportedUpperCase() {
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"acme\",\"Globx\"]}");
            assertEquals(Set.of("ACME", "GLOBX"), ConnectingTest.strings(client.next("subscribed")));
            assertEquals("GLOBX", client.next(quoteOf("GLOBX")).getString("symbol"));
        }
    }

    @Test
    void starSubscribesToEveryListedSymbol() {
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"*\"]}");
            assertEquals(ConfiguredSymbols.count(), client.next("subscribed").getJsonArray("symbols").size());
            client.next(quoteOf("KIWI"));
        }
    }

    @Test
    void unsubscribeStopsTheQuotesOfThatSymbol() {
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\",\"GLOBX\"]}");
            client.next(quoteOf("ACME"));
            client.send("{\"action\":\"unsubscribe\",\"symbols\":[\"acme\"]}");
            assertEquals(Set.of("ACME"), ConnectingTest.strings(client.next("unsubscribed")));
            int unsubscribedAt = client.history().size();
            for (int i = 0; i < 20; i++) {
                client.next(quoteOf("GLOBX"));
            }
            List<JsonObject> after = client.history().subList(unsubscribedAt, client.history().size());
            assertTrue(after.stream().noneMatch(quoteOf("ACME")), "ACME quotes after unsubscribed: " + after);
        }
    }

    @Test
    void everyQuoteHoldsItsInvariants() {
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"*\"]}");
            for (int i = 0; i < 300; i++) {
                assertQuoteInvariants(client.next(TestClient.ofType("quote")));
            }
        }
    }

    @Test
    void liveSeqIncreasesByOnePerTickOfTheSymbol() {
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            long previous = client.next(quoteOf("ACME")).getJsonNumber("seq").longValue();
            for (int i = 0; i < 20; i++) {
                long seq = client.next(quoteOf("ACME")).getJsonNumber("seq").longValue();
                assertEquals(previous + 1, seq, "a reading client at a light load sees every tick");
                previous = seq;
            }
        }
    }

    @Test
    void twoClientsSeeTheSameSeqWithTheSamePrice() {
        try (TestClient first = server.connect(); TestClient second = server.connect()) {
            first.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            second.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            Map<Long, BigDecimal> firstPrices = new HashMap<>();
            for (int i = 0; i < 15; i++) {
                JsonObject quote = first.next(quoteOf("ACME"));
                firstPrices.put(quote.getJsonNumber("seq").longValue(), quote.getJsonNumber("price").bigDecimalValue());
            }
            int compared = 0;
            for (int i = 0; i < 15; i++) {
                JsonObject quote = second.next(quoteOf("ACME"));
                BigDecimal price = firstPrices.get(quote.getJsonNumber("seq").longValue());
                if (price != null) {
                    assertEquals(price, quote.getJsonNumber("price").bigDecimalValue());
                    compared++;
                }
            }
            assertTrue(compared >= 10, "the two clients shared " + compared + " ticks");
        }
    }

    static void assertQuoteInvariants(JsonObject quote) {
        BigDecimal price = number(quote, "price");
        BigDecimal tick = ConfiguredSymbols.tickSize(quote.getString("symbol"));
        for (String field : List.of("price", "bid", "ask", "open", "high", "low", "prevClose")) {
            assertEquals(0, number(quote, field).remainder(tick).signum(), field + " on the tick grid: " + quote);
        }
        assertTrue(number(quote, "bid").compareTo(price) <= 0, "bid <= price: " + quote);
        assertTrue(price.compareTo(number(quote, "ask")) <= 0, "price <= ask: " + quote);
        assertTrue(number(quote, "low").compareTo(price) <= 0, "low <= price: " + quote);
        assertTrue(price.compareTo(number(quote, "high")) <= 0, "price <= high: " + quote);
        assertEquals(0, price.subtract(number(quote, "prevClose")).compareTo(number(quote, "change")), "change: " + quote);
        BigDecimal percent = number(quote, "change").multiply(BigDecimal.valueOf(100))
                .divide(number(quote, "prevClose"), 3, RoundingMode.HALF_UP);
        assertEquals(0, percent.compareTo(number(quote, "changePercent")), "changePercent: " + quote);
        assertTrue(number(quote, "changePercent").scale() <= 3, "3 decimals: " + quote);
        assertTrue(quote.getJsonNumber("volume").isIntegral() && quote.getJsonNumber("volume").longValue() > 0, quote.toString());
        assertTrue(quote.getJsonNumber("seq").longValue() >= 1, quote.toString());
        long ts = quote.getJsonNumber("ts").longValue();
        assertTrue(Math.abs(System.currentTimeMillis() - ts) < 60_000, "ts is the feed's epoch ms: " + quote);
    }

    private static BigDecimal number(JsonObject quote, String field) {
        JsonNumber number = quote.getJsonNumber(field);
        return number.bigDecimalValue();
    }
}
