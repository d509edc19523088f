package io.quotecast.market;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent bars of one symbol at one interval, built tick by tick, the current bar included.
 * A fixed ring of primitive columns: about 48 bytes a bar, whatever the price.
 *
 * <p>The feed thread writes; request threads read. Both hold this series' lock only briefly.
 */
final class BarSeries {

    private final BarInterval interval;
    private final int scale;
    private final long[] start;
    private final long[] open;
    private final long[] high;
    private final long[] low;
    private final long[] close;
    private final long[] volume;
    private int newest = -1;
    private int size;

    /** {@code scale}: decimal places of the symbol's prices (2 for a tick of 0.01). */
    BarSeries(BarInterval interval, int capacity, int scale) {
        this.interval = interval;
        this.scale = scale;
        this.start = new long[capacity];
        this.open = new long[capacity];
        this.high = new long[capacity];
        this.low = new long[capacity];
        this.close = new long[capacity];
        this.volume = new long[capacity];
    }

    /** Adds a trade: a new bar if its time falls past the current bar, else into the current bar. */
    synchronized void add(long timestamp, BigDecimal price, long tradedVolume) {
        long units = price.setScale(scale).unscaledValue().longValueExact();
        long barStart = interval.barStart(timestamp);
        if (size == 0 || barStart > start[newest]) {
            newest = (newest + 1) % start.length;
            size = Math.min(size + 1, start.length);
            start[newest] = barStart;
            open[newest] = units;
            high[newest] = units;
            low[newest] = units;
            close[newest] = units;
            volume[newest] = tradedVolume;
            return;
        }
        // Same bar (or a clock step backwards, which must not reopen an old bar).
        high[newest] = Math.max(high[newest], units);
        low[newest] = Math.min(low[newest], units);
        close[newest] = units;
        volume[newest] += tradedVolume;
    }

    /** Up to {@code limit} most recent bars, oldest first. */
    synchronized List<Bar> latest(int limit) {
        int count = Math.min(limit, size);
        List<Bar> bars = new ArrayList<>(count);
        for (int i = count - 1; i >= 0; i--) {
            int at = Math.floorMod(newest - i, start.length);
            bars.add(new Bar(start[at], price(open[at]), price(high[at]), price(low[at]), price(close[at]), volume[at]));
        }
        return bars;
    }

    private BigDecimal price(long units) {
        return BigDecimal.valueOf(units, scale);
    }
}
