package io.quotecast.stream;

import io.quotecast.market.SymbolCatalog;

import java.time.Duration;

/**
 * A {@link QuoteHub} for the unit tests of other packages: every drain runs at once on the caller's
 * thread, no gathering window, and its own timer (the stuck-client sweep, {@code maxRate}'s releases)
 * a {@link ManualTimer} that never moves. What a subscriber is sent has reached its sink when the
 * call that queued it returns, for a sink that completes its writes at once.
 */
public final class DirectHub {

    private DirectHub() {
    }

    /** {@code ticksPerSymbol}: how many of each symbol's last ticks are kept for resuming clients. */
    public static QuoteHub of(SymbolCatalog catalog, QuoteFormat format, int ticksPerSymbol) {
        return new QuoteHub(catalog, format, ticksPerSymbol, Duration.ofSeconds(10), Duration.ZERO, 1 << 20,
                new HubThreads(Runnable::run, 1, new ManualTimer(), () -> { }));
    }
}
