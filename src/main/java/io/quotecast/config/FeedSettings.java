package io.quotecast.config;

import static io.quotecast.config.Settings.require;

/**
 * {@code feed.*}: the simulated market, and whether this node runs it or takes its ticks from the broker.
 *
 * @param ticksPerSecond {@code feed.ticksPerSecond}, across all symbols
 * @param seed           {@code feed.seed} of the random walk
 * @param symbols        {@code feed.symbols}, a classpath resource or a file path
 * @param mode           {@code feed.mode}
 */
public record FeedSettings(double ticksPerSecond, long seed, String symbols, FeedMode mode) {

    public FeedSettings {
        require(ticksPerSecond > 0, "feed.ticksPerSecond must be > 0");
    }
}
