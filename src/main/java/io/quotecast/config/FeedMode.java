package io.quotecast.config;

/** {@code feed.mode}: where this node's ticks come from (docs/cluster.md). */
public enum FeedMode {
    /** The simulated market in this process, for this node alone. */
    LOCAL,
    /** The simulated market in this process, every tick also published to the broker. */
    PUBLISH,
    /** No market here: ticks, with their seq and epoch, come from the publisher through the broker. */
    SUBSCRIBE
}
