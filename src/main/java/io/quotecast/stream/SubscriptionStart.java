package io.quotecast.stream;

/**
 * How a subscription starts: {@code frames} (its snapshot, or the ticks it missed) go out first,
 * and no quote of the symbol whose {@code seq} is {@code afterSeq} or less goes out at all.
 */
record SubscriptionStart(long afterSeq, Frame[] frames) {
}
