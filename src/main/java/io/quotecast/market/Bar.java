package io.quotecast.market;

import java.math.BigDecimal;

/** One OHLCV bar: {@code start} is the bar's first millisecond (epoch), {@code volume} traded within it. */
public record Bar(long start, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close, long volume) {
}
