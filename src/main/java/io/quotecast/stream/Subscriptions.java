package io.quotecast.stream;

/**
 * One connection's subscriptions: which symbols it holds, and the last {@code seq} of each that
 * went out in the current subscription. A quote is checked here when it is taken for a write, not
 * when it was queued, which is what keeps the protocol's two promises: nothing of a symbol after
 * {@code unsubscribed}, and never a quote older than the subscription's first frames. Guarded by
 * its {@link Subscriber}'s lock.
 */
final class Subscriptions {

    private final Object lock;
    /** The last seq of each symbol sent in the current subscription; 0 before its first quote. */
    private final long[] lastSentSeq;
    private final boolean[] subscribed;
    private int count;

    Subscriptions(Object lock, int symbolCount) {
        this.lock = lock;
        this.lastSentSeq = new long[symbolCount];
        this.subscribed = new boolean[symbolCount];
    }

    /**
     * Starts a subscription whose first frames are queued now: no quote of the symbol with a
     * {@code seq} of {@code afterSeq} or less goes out after them, even one queued before.
     */
    void start(int symbol, long afterSeq) {
        assert Thread.holdsLock(lock);
        if (!subscribed[symbol]) {
            subscribed[symbol] = true;
            count++;
        }
        lastSentSeq[symbol] = afterSeq;
    }

    void end(int symbol) {
        assert Thread.holdsLock(lock);
        if (subscribed[symbol]) {
            subscribed[symbol] = false;
            count--;
        }
    }

    boolean has(int symbol) {
        assert Thread.holdsLock(lock);
        return subscribed[symbol];
    }

    int count() {
        assert Thread.holdsLock(lock);
        return count;
    }

    int symbolCount() {
        return subscribed.length;
    }

    int[] symbols() {
        assert Thread.holdsLock(lock);
        int[] symbols = new int[count];
        for (int i = 0, n = 0; i < subscribed.length; i++) {
            if (subscribed[i]) {
                symbols[n++] = i;
            }
        }
        return symbols;
    }

    /** Whether a quote may go out now (still subscribed, newer than what the client has); if so, it counts as sent. */
    boolean take(Frame quote) {
        assert Thread.holdsLock(lock);
        int symbol = quote.symbolIndex();
        if (!subscribed[symbol] || quote.seq() <= lastSentSeq[symbol]) {
            return false;
        }
        lastSentSeq[symbol] = quote.seq();
        return true;
    }
}
