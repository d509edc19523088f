package io.quotecast.command;

import io.quotecast.market.Quote;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code tail}'s line: symbol, price, change %, bid/ask, seq and time. */
class QuoteLineTest {

    @Test
    void aLineNamesSymbolPriceChangeBidAskSeqAndTime() {
        Quote quote = new Quote("ACME", new BigDecimal("123.45"), new BigDecimal("123.44"), new BigDecimal("123.46"),
                new BigDecimal("121.00"), new BigDecimal("124.10"), new BigDecimal("120.75"), new BigDecimal("120.90"),
                new BigDecimal("2.55"), new BigDecimal("2.109"), 1_843_200, 1207, 1_764_000_000_123L);
        assertEquals("ACME         123.45    +2.109%  123.44/123.46  seq 1207  2025-11-24T16:00:00.123Z", QuoteLine.of(quote));
    }
}
