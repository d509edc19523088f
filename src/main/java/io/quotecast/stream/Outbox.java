package io.quotecast.stream;

import java.util.ArrayDeque;

/**
 * What waits to be sent to one client: replies, errors, snapshots and replayed ticks in order, ahead
 * of its live quotes ({@link LiveQuotes}: in order within half the byte budget, conflated past it).
 * A reply is never held up behind a backlog of quotes. Guarded by its {@link Subscriber}'s lock.
 */
final class Outbox {

    private final Object lock;
    private final ArrayDeque<Frame> queued = new ArrayDeque<>();
    /** Characters of {@link #queued}. */
    private long queuedChars;
    private final LiveQuotes live;
    private long quotesConflated;

    /** {@code inOrderChars}: how many characters of live quotes wait in order before conflation starts. */
    Outbox(Object lock, int symbolCount, FrameLog log, long inOrderChars) {
        this.lock = lock;
        this.live = new LiveQuotes(symbolCount, log, inOrderChars);
    }

    /** Queues a reply or first frame behind those queued before it, ahead of live quotes. */
    void queue(Frame frame) {
        assert Thread.holdsLock(lock);
        queued.add(frame);
        queuedChars += frame.text().length();
    }

    /** Queues a live quote of the {@link FrameLog}. */
    void queueLive(Frame quote) {
        assert Thread.holdsLock(lock);
        if (live.add(quote)) {
            quotesConflated++;
        }
    }

    /** Counts a live quote that a newer one replaced before it could be queued (a paced symbol's). */
    void conflated() {
        assert Thread.holdsLock(lock);
        quotesConflated++;
    }

    /** Whether a quote of the symbol waits among the conflated ones, so that a newer one replaces it. */
    boolean isBehind(int symbol) {
        assert Thread.holdsLock(lock);
        return live.isBehind(symbol);
    }

    /**
     * The next frame worth sending: queued replies and first frames, then live quotes in order, then
     * conflated ones, oldest symbol first; a quote that {@code subscriptions} refuses is dropped.
     */
    Frame next(Subscriptions subscriptions) {
        assert Thread.holdsLock(lock);
        Frame frame;
        while ((frame = queued.poll()) != null) {
            queuedChars -= frame.text().length();
            if (!frame.isQuote() || subscriptions.take(frame)) {
                return frame;
            }
        }
        while ((frame = live.poll()) != null) {
            if (subscriptions.take(frame)) {
                return frame;
            }
        }
        return null;
    }

    boolean isEmpty() {
        assert Thread.holdsLock(lock);
        return queued.isEmpty() && live.isEmpty();
    }

    int size() {
        assert Thread.holdsLock(lock);
        return queued.size() + live.size();
    }

    /**
     * Characters held against the budget: queued frames and live quotes in order, as queued.
     * (Conflated quotes, one per symbol at most, are left out: the bound is checked where replies
     * are queued, and it must not cost the feed a walk over the symbols.)
     */
    long charsHeld() {
        assert Thread.holdsLock(lock);
        return queuedChars + live.charsInOrder();
    }

    /** Characters of every frame waiting, conflated quotes as they would be sent now. */
    long chars() {
        assert Thread.holdsLock(lock);
        return queuedChars + live.chars();
    }

    long quotesConflated() {
        assert Thread.holdsLock(lock);
        return quotesConflated;
    }

    void clear() {
        assert Thread.holdsLock(lock);
        queued.clear();
        queuedChars = 0;
        live.clear();
    }
}
