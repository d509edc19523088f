package io.quotecast.ops;

import io.quotecast.market.Quote;
import io.quotecast.market.QuoteListener;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Watches the feed from the hub's side: ticks seen, when the last one arrived and how old it was on
 * arrival (the feed's lag). One tick costs an add and two volatile writes, nothing per client.
 */
public final class FeedMonitor implements QuoteListener {

    /** The feed's state as /health reports it. */
    public enum State {
        /** Ticking: the last tick is younger than the allowed age. */
        RUNNING,
        /** No tick for longer than the allowed age (or none since the start, for that long). */
        STALLED
    }

    private final LongSupplier nanoClock;
    private final LongSupplier wallClock;
    private final long maxTickAgeNanos;
    private final long startedNanos;
    private final LongAdder ticks = new LongAdder();
    private volatile long lastTickNanos;
    private volatile long lastLagMillis;
    private volatile boolean ticked;

    /** {@code maxTickAgeNanos}: how long without a tick before the feed counts as stalled. */
    public FeedMonitor(long maxTickAgeNanos, LongSupplier nanoClock, LongSupplier wallClock) {
        this.maxTickAgeNanos = maxTickAgeNanos;
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
        this.startedNanos = nanoClock.getAsLong();
    }

    @Override
    public void onQuote(Quote quote) {
        ticks.increment();
        lastLagMillis = Math.max(0, wallClock.getAsLong() - quote.timestamp());
        lastTickNanos = nanoClock.getAsLong();
        ticked = true;
    }

    public long ticks() {
        return ticks.sum();
    }

    /** How long ago the last tick arrived (since the start, before the first); nanoseconds. */
    public long lastTickAgeNanos() {
        long since = ticked ? lastTickNanos : startedNanos;
        return Math.max(0, nanoClock.getAsLong() - since);
    }

    /** The last tick's age when the hub got it (arrival time minus the tick's own timestamp); milliseconds. */
    public long lastLagMillis() {
        return lastLagMillis;
    }

    public State state() {
        return lastTickAgeNanos() > maxTickAgeNanos ? State.STALLED : State.RUNNING;
    }
}
