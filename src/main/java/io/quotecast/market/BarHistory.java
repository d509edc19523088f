package io.quotecast.market;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * OHLCV bars for every symbol at every {@link BarInterval}, built from the ticks of the feed, so that
 * a chart drawn from them matches the quotes the clients saw. Memory is fixed at construction.
 */
public final class BarHistory implements QuoteListener {

    private final SymbolCatalog catalog;
    private final List<Map<BarInterval, BarSeries>> bySymbol;
    private final long[] lastVolume;

    public BarHistory(SymbolCatalog catalog, int barsPerInterval) {
        this.catalog = catalog;
        this.lastVolume = new long[catalog.size()];
        this.bySymbol = catalog.all().stream().map(symbol -> {
            Map<BarInterval, BarSeries> series = new EnumMap<>(BarInterval.class);
            int scale = Math.max(0, symbol.tickSize().stripTrailingZeros().scale());
            for (BarInterval interval : BarInterval.values()) {
                series.put(interval, new BarSeries(interval, barsPerInterval, scale));
            }
            return series;
        }).toList();
    }

    /** Called on the feed thread for every tick, in order. */
    @Override
    public void onQuote(Quote quote) {
        int symbol = catalog.indexOf(quote.symbol());
        // Quotes carry the day's cumulative volume; a bar holds what traded within it.
        long traded = quote.volume() - lastVolume[symbol];
        lastVolume[symbol] = quote.volume();
        for (BarSeries series : bySymbol.get(symbol).values()) {
            series.add(quote.timestamp(), quote.price(), traded);
        }
    }

    /** Up to {@code limit} most recent bars of a symbol (catalog index), oldest first, the current bar last. */
    public List<Bar> bars(int symbol, BarInterval interval, int limit) {
        return bySymbol.get(symbol).get(interval).latest(limit);
    }
}
