package io.quotecast.client;

import io.quotecast.market.Bar;

import java.util.List;

/** The reply to {@link QuotecastClient#history}: OHLCV bars of {@code symbol}, oldest first. */
public record Bars(String symbol, String interval, List<Bar> bars) {

    public Bars {
        bars = List.copyOf(bars);
    }
}
