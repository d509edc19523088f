package io.quotecast.stream;

/** A subscription's start, by symbol: the hub's {@link TickMemory} answers it under the subscriber's lock. */
@FunctionalInterface
interface FirstFrames {
    /**
     * How {@code symbol}'s subscription starts, its frames' characters within {@code budgetChars}:
     * a replay that would not fit is replaced by a gap snapshot.
     */
    SubscriptionStart of(int symbol, long budgetChars);
}
