package io.quotecast.market;

import java.math.BigDecimal;

/**
 * One tick of one symbol, as the feed produced it. Prices are exact decimals on the symbol's tick
 * grid; {@code seq} counts this symbol's ticks from 1; {@code timestamp} is epoch milliseconds.
 */
public record Quote(
        String symbol,
        BigDecimal price,
        BigDecimal bid,
        BigDecimal ask,
        BigDecimal open,
        BigDecimal high,
        BigDecimal low,
        BigDecimal previousClose,
        BigDecimal change,
        BigDecimal changePercent,
        long volume,
        long seq,
        long timestamp) {
}
