package io.quotecast.cluster;

import io.quotecast.market.QuoteListener;

/**
 * Receives what a {@link TickSource} produces, all on one thread: the run of the feed, its ticks in
 * order, and whether the node's link to the feed holds. Implementations return quickly.
 */
public interface TickListener extends QuoteListener {

    /**
     * A run of the feed begins: the first one this node sees, or a new one after the publisher restarted.
     * Called before that run's first quote; {@code seq} numbers of different runs do not compare.
     */
    void onEpoch(String epoch);

    /**
     * The link to the feed is up ({@code true}) or lost ({@code false}). While it is lost the latest
     * quotes this node holds are stale.
     */
    void onLink(boolean up);
}
