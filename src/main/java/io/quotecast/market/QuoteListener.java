package io.quotecast.market;

/**
 * Receives every tick of a feed, in order, on the feed's thread. Implementations must return
 * quickly and never block: the feed waits for nobody.
 */
@FunctionalInterface
public interface QuoteListener {

    void onQuote(Quote quote);
}
