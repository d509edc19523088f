package io.quotecast.stream;

import io.quotecast.market.Quote;

/** Encodes quotes into wire frames; supplied by the transport so that this package stays free of it. */
public interface QuoteFormat {

    /** A live quote, as every subscriber of the tick receives it. */
    String live(Quote quote);

    /** The latest known quote sent on subscribe, marked as a snapshot (and as a gap in a resumed stream). */
    default String snapshot(Quote quote, boolean gap) {
        return snapshot(quote, gap, false);
    }

    /**
     * The same, also marked {@code stale} when the node has lost its feed (a subscribing node whose broker
     * is away): the latest quote it has, which may no longer be the market's.
     */
    String snapshot(Quote quote, boolean gap, boolean stale);
}
