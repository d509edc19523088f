package io.quotecast.command;

import io.quotecast.market.Quote;

import java.time.Instant;

/** One quote as {@code tail} prints it: symbol, price, change %, bid/ask, seq and the feed's time (UTC). */
final class QuoteLine {

    private QuoteLine() {
    }

    static String of(Quote quote) {
        String sign = quote.changePercent().signum() >= 0 ? "+" : "";
        return String.format("%-6s %12s %9s%%  %s/%s  seq %d  %s", quote.symbol(), quote.price().toPlainString(),
                sign + quote.changePercent().toPlainString(), quote.bid().toPlainString(), quote.ask().toPlainString(),
                quote.seq(), Instant.ofEpochMilli(quote.timestamp()));
    }
}
