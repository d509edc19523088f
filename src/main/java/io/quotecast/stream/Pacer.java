package io.quotecast.stream;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * One client's {@code maxRate}: per symbol, the least time between two quotes it releases and when
 * it released the last one. A quote that comes sooner is parked until the interval has passed; a
 * newer one only replaces it (the symbol's newest is what is released). Not thread-safe: its
 * {@link Subscriber}'s lock guards it, and its {@link PacedRelease} arms the hub's timer for {@link #releaseDue}.
 */
final class Pacer {

    /** No time at all: a symbol with no release yet, or no parked quote. */
    static final long NEVER = Long.MIN_VALUE;

    private final int symbolCount;
    // Made by the first maxRate: most clients never set one, and three arrays the size of the symbol
    // list are a noticeable share of an idle connection's heap (docs/benchmarks.md). Null together.
    private long[] intervalNanos;
    private long[] lastReleasedNanos;
    private boolean[] parked;
    private int parkedCount;

    Pacer(int symbolCount) {
        this.symbolCount = symbolCount;
    }

    boolean isPaced(int symbol) {
        return intervalNanos != null && intervalNanos[symbol] > 0;
    }

    long intervalNanos(int symbol) {
        return intervalNanos == null ? 0 : intervalNanos[symbol];
    }

    boolean isParked(int symbol) {
        return parked != null && parked[symbol];
    }

    int parkedCount() {
        return parkedCount;
    }

    /**
     * A paced, unparked symbol's tick at {@code now}: true if it may go at once (it counts as
     * released); false if it is parked until {@link #dueNanos}.
     */
    boolean admit(int symbol, long now) {
        long last = lastReleasedNanos[symbol];
        if (last == NEVER || now - last >= intervalNanos[symbol]) {
            lastReleasedNanos[symbol] = now;
            return true;
        }
        parked[symbol] = true;
        parkedCount++;
        return false;
    }

    /** When the symbol's next quote may be released. */
    long dueNanos(int symbol) {
        return lastReleasedNanos[symbol] + intervalNanos[symbol];
    }

    /**
     * Releases, through {@code release}, every parked symbol whose interval has passed at {@code now};
     * returns when the next one still parked is due, or {@link #NEVER}.
     */
    long releaseDue(long now, IntConsumer release) {
        long next = NEVER;
        if (parkedCount == 0) {
            return next;
        }
        for (int symbol = 0; symbol < parked.length && parkedCount > 0; symbol++) {
            if (!parked[symbol]) {
                continue;
            }
            long due = lastReleasedNanos[symbol] + intervalNanos[symbol];
            if (intervalNanos[symbol] == 0 || now - due >= 0) {
                unpark(symbol, now);
                release.accept(symbol);
            } else if (next == NEVER || due - next < 0) {
                next = due;
            }
        }
        return next;
    }

    /**
     * Sets the symbol's interval (0 lifts the cap). A parked quote goes at once ({@code release})
     * if the new interval has passed; else returns when it is due, or {@link #NEVER}.
     */
    long setInterval(int symbol, long interval, long now, IntConsumer release) {
        if (intervalNanos == null) {
            if (interval == 0) {
                return NEVER;
            }
            intervalNanos = new long[symbolCount];
            lastReleasedNanos = new long[symbolCount];
            Arrays.fill(lastReleasedNanos, NEVER);
            parked = new boolean[symbolCount];
        }
        intervalNanos[symbol] = interval;
        if (!parked[symbol]) {
            return NEVER;
        }
        long due = lastReleasedNanos[symbol] + interval;
        if (interval == 0 || now - due >= 0) {
            unpark(symbol, now);
            release.accept(symbol);
            return NEVER;
        }
        return due;
    }

    /** A new subscription to the symbol: its snapshot, at {@code now}, counts as its first release when paced. */
    void start(int symbol, long now) {
        if (intervalNanos == null) {
            return;
        }
        lastReleasedNanos[symbol] = intervalNanos[symbol] > 0 ? now : NEVER;
    }

    /** The symbol is no longer subscribed: no cap, and its parked quote is dropped. */
    void stop(int symbol) {
        if (intervalNanos == null) {
            return;
        }
        intervalNanos[symbol] = 0;
        lastReleasedNanos[symbol] = NEVER;
        if (parked[symbol]) {
            parked[symbol] = false;
            parkedCount--;
        }
    }

    void clear() {
        if (parked == null) {
            return;
        }
        Arrays.fill(parked, false);
        parkedCount = 0;
    }

    private void unpark(int symbol, long now) {
        parked[symbol] = false;
        parkedCount--;
        lastReleasedNanos[symbol] = now;
    }
}
