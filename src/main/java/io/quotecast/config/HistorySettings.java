package io.quotecast.config;

import static io.quotecast.config.Settings.require;

/**
 * {@code history.*}: what a node keeps in memory for clients that resume or ask for history (fixed at start).
 *
 * @param ticksPerSymbol  {@code history.ticksPerSymbol}, for {@code since}
 * @param barsPerInterval {@code history.barsPerInterval}, for {@code history}
 */
public record HistorySettings(int ticksPerSymbol, int barsPerInterval) {

    public HistorySettings {
        require(ticksPerSymbol > 0, "history.ticksPerSymbol must be > 0");
        require(barsPerInterval >= 1000, "history.barsPerInterval must be >= 1000, the largest history limit");
    }
}
