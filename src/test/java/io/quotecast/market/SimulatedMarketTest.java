package io.quotecast.market;

import io.quotecast.config.Settings;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.quotecast.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedMarketTest {

    private static final SymbolCatalog CATALOG = SymbolCatalog.load(Settings.load().feed().symbols());

    @Test
    void theDefaultListHasFiftySymbolsEachWithNameAndCurrency() {
        assertEquals(50, CATALOG.size());
        for (Symbol symbol : CATALOG.all()) {
            assertTrue(!symbol.name().isBlank() && symbol.currency().matches("[A-Z]{3}"), symbol.toString());
        }
    }

    @Test
    void everySymbolOpensWithSeqOneThenCountsUpByOne() {
        List<Quote> quotes = record(2000, 1, 600);
        Map<String, Long> lastSeq = new HashMap<>();
        for (Quote quote : quotes) {
            long expected = lastSeq.getOrDefault(quote.symbol(), 0L) + 1;
            assertEquals(expected, quote.seq(), quote.toString());
            lastSeq.put(quote.symbol(), quote.seq());
        }
        assertEquals(50, lastSeq.size());
    }

    @Test
    void theSameSeedGivesTheSamePrices() {
        List<BigDecimal> first = record(2000, 7, 300).stream().map(Quote::price).toList();
        List<BigDecimal> second = record(2000, 7, 300).stream().map(Quote::price).toList();
        List<BigDecimal> other = record(2000, 8, 300).stream().map(Quote::price).toList();
        assertEquals(first, second);
        assertTrue(!first.equals(other));
    }

    @Test
    void ticksAreSpreadEvenlyOverTheSymbols() {
        List<Quote> quotes = record(5000, 1, 50 + 50 * 20);
        Map<String, Integer> perSymbol = new HashMap<>();
        quotes.forEach(quote -> perSymbol.merge(quote.symbol(), 1, Integer::sum));
        assertTrue(perSymbol.values().stream().allMatch(n -> n >= 20), perSymbol.toString());
    }

    @Test
    void volumeGrowsAndTheDayRangeHoldsEveryPrice() {
        Map<String, Quote> previous = new HashMap<>();
        for (Quote quote : record(2000, 3, 1000)) {
            assertTrue(quote.low().compareTo(quote.price()) <= 0 && quote.price().compareTo(quote.high()) <= 0);
            assertTrue(quote.bid().compareTo(quote.price()) < 0 && quote.price().compareTo(quote.ask()) < 0, "a spread");
            Quote before = previous.put(quote.symbol(), quote);
            if (before != null) {
                assertTrue(quote.volume() > before.volume());
                assertTrue(quote.high().compareTo(before.high()) >= 0 && quote.low().compareTo(before.low()) <= 0);
                assertEquals(before.open(), quote.open());
            }
        }
    }

    private static List<Quote> record(double ticksPerSecond, long seed, int count) {
        List<Quote> quotes = new CopyOnWriteArrayList<>();
        SimulatedMarket market = new SimulatedMarket(CATALOG, ticksPerSecond, seed, quotes::add);
        market.start();
        try {
            await(count + " ticks", () -> quotes.size() >= count);
        } finally {
            market.close();
        }
        return new ArrayList<>(quotes.subList(0, count));
    }
}
