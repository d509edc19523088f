package io.quotecast.market;

/**
 * Receives every tick of a feed, in order, on the feed's thread. Implementations must return
 * quickly and never block: the feed waits for nobody.
 */
@FunctionalInterface
public interface QuoteListener {

    void onQuote(Quote quote);

    /**
     * The feed has handed over every tick it had for now (a wake-up of the simulated market, or what
     * the broker had delivered): work gathered per tick, such as writes to clients, can go out now
     * rather than wait for a timer. A feed calls it after every run of {@link #onQuote} calls.
     */
    default void onBatchEnd() {
    }
}
