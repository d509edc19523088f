package io.quotecast.stream;

import java.util.concurrent.Executor;

/**
 * One connection to the stream: it orchestrates the client's {@link Subscriptions}, its
 * {@link Outbox} (what waits to be sent), the {@link Pacer} of its {@code maxRate} and its
 * {@link SendLoop} (the one write in flight). No thread per client, and the feed never waits.
 *
 * <p>Memory per client is bounded in bytes whatever the client does: everything waiting for it,
 * and the write in flight, stays within {@code connection.maxQueuedBytes} (counted as characters of
 * JSON text, a byte each for quotes). Live quotes wait in order, every tick, within half of that
 * budget, which a reader that keeps up never fills; past it, they are conflated per symbol, so a
 * client that reads slower than the feed gets the latest quote of each symbol and a jump in
 * {@code seq}, never a growing backlog. A replay that would not fit the budget is answered with a
 * gap snapshot instead, and a client whose waiting frames pass the budget is not reading and is
 * closed with {@link CloseCode#POLICY}; so is a client whose one write stays in flight too long
 * (see {@link #stuckFor}: the hub's sweep closes it). A failed write closes the transport with
 * {@link CloseCode#SERVER_ERROR}.
 *
 * <p>What a client sees, in order: replies (and errors) go out ahead of live quotes already waiting.
 * The protocol's two promises hold all the same, because a quote is checked when it is taken for a
 * write ({@link Subscriptions#take}): after {@code unsubscribed} no quote of the symbol goes out,
 * and after {@code subscribed} the symbol's snapshot (or replay) goes out before any live quote of
 * it. A re-subscribe starts a new subscription: its snapshot goes out even if the client had that
 * very quote before.
 *
 * <p><b>The lock rule.</b> One lock per connection, {@link #lock}, guards every field of this class
 * and of its {@link Subscriptions}, {@link Outbox} (with its {@link LiveQuotes}), {@link Pacer} (with
 * its {@link PacedRelease}) and {@link SendLoop}; their methods assert that the caller holds it. Nothing that can wait is done
 * holding it: no call into the {@link FrameSink}, no hand-off to an executor or the timer's
 * callbacks. So a change is made under the lock, which says whether a drain is now due
 * ({@link SendLoop#claim}), and the drain is started after it is released.
 */
public final class Subscriber {

    /** Guards this connection's state; see the lock rule above. */
    private final Object lock = new Object();
    private final FrameSink sink;
    private final FrameLog log;
    private final Scheduler timer;
    private final Subscriptions subscriptions;
    private final Outbox outbox;
    private final Pacer pacer;
    private final PacedRelease release;
    private final SendLoop sendLoop;
    /** {@link FrameSink#startsWritesAnywhere}, asked once: the feed asks it for every due client. */
    private final boolean drainsOnTheFeed;
    private final long maxQueuedChars;
    /** See {@link #windowEnd()}: written and read on the feed's thread only. */
    private long windowEndNanos;

    /** {@code maxQueuedChars}: what may wait for this client, the write in flight included, before it is closed. */
    Subscriber(int symbolCount, FrameSink sink, FrameLog log, Executor sender, Scheduler timer, long maxQueuedChars) {
        this.sink = sink;
        this.drainsOnTheFeed = sink.startsWritesAnywhere();
        this.log = log;
        this.timer = timer;
        this.maxQueuedChars = maxQueuedChars;
        this.subscriptions = new Subscriptions(lock, symbolCount);
        this.outbox = new Outbox(lock, symbolCount, log, maxQueuedChars / 2);
        this.pacer = new Pacer(symbolCount);
        this.sendLoop = new SendLoop(lock, sink, outbox, subscriptions, sender, timer,
                failure -> close(CloseCode.SERVER_ERROR, "a write failed: " + failure));
        this.release = new PacedRelease(lock, pacer, outbox, log, sendLoop, timer);
    }

    /** Whether this client's transport writes several frames at once, so that its quotes can be gathered. */
    public boolean writesTogether() {
        return sendLoop.gathers();
    }

    /**
     * Takes a live tick (a frame of the hub's {@link FrameLog}) into the outbox at {@code nowNanos},
     * and says when it must be drained. A client with a write in flight gathers what arrives meanwhile
     * for the write after it; one whose last write started less than {@code windowNanos} ago waits
     * for the rest of that window ({@link #windowEnd()}); any other goes at the end of the feed's
     * batch, except where every write costs much more than a frame ({@link FrameSink#gathersEveryQuote}):
     * there it waits a window too. So a client whose quotes come one at a time gets each at once, and one
     * that gets many gets them together, at most one write a window, none waiting longer than a window. If it says
     * to drain, the drain is claimed: the hub must run {@link #drain}.
     */
    Wake accept(Frame quote, long nowNanos, long windowNanos) {
        synchronized (lock) {
            int symbol = quote.symbolIndex();
            if (sendLoop.isClosed() || !subscriptions.has(symbol)) {
                return Wake.NONE;
            }
            if (pacer.isPaced(symbol)) {
                if (pacer.isParked(symbol) || outbox.isBehind(symbol)) {
                    // Parked, or waiting among the conflated: the latest quote wins either way.
                    outbox.conflated();
                    return Wake.NONE;
                }
                if (!pacer.admit(symbol, nowNanos)) {
                    release.arm(pacer.dueNanos(symbol), nowNanos);
                    return Wake.NONE;
                }
            }
            outbox.queueLive(quote);
            if (!sendLoop.claim()) {
                return Wake.NONE;
            }
            // Gathering pays only where the transport writes the gathered quotes together.
            if (!sendLoop.gathers()) {
                return Wake.NOW;
            }
            if (sendLoop.wroteWithin(windowNanos, nowNanos)) {
                windowEndNanos = sendLoop.lastWriteNanos() + windowNanos;
            } else if (sendLoop.gathersEveryQuote() && windowNanos > 0) {
                windowEndNanos = nowNanos + windowNanos;
            } else {
                return Wake.BATCH_END;
            }
            return Wake.WINDOW_END;
        }
    }

    /**
     * When the window of the last {@link Wake#WINDOW_END} ends: a window after this client's last
     * write started. Read by the feed's thread right after its {@link #accept}, which set it.
     */
    long windowEnd() {
        return windowEndNanos;
    }

    /** Whether its transport's writes may start on the feed's thread, so that the hub drains it there. */
    boolean drainsOnTheFeed() {
        return drainsOnTheFeed;
    }

    /** Sends what waits until the outbox is empty or a write is in flight; after {@link #accept} claimed it. */
    void drain() {
        sendLoop.drain();
    }

    /** The least time between two quotes of the symbol, in nanoseconds; 0 when its rate is not capped. */
    public long minIntervalNanos(int symbol) {
        synchronized (lock) {
            return pacer.intervalNanos(symbol);
        }
    }

    /** Queues a reply (or error) frame behind every reply queued before it, ahead of live quotes. */
    public void send(String text) {
        enqueue(Frame.control(text), null, null);
    }

    /**
     * Sets the pacing of {@code paced} (at least {@code intervalNanos} between two quotes of each;
     * 0 lifts the cap), then starts the subscriptions of {@code added}, in order: the reply, then for
     * each symbol its first frames (the snapshot), all under this connection's lock so that no live
     * tick can overtake or slip between them.
     */
    void activate(int[] added, int[] paced, long intervalNanos, String reply, FirstFrames firstFrames) {
        synchronized (lock) {
            if (!sendLoop.isClosed()) {
                long now = timer.nanoTime();
                for (int symbol : paced) {
                    release.setInterval(symbol, intervalNanos, now);
                }
                for (int symbol : added) {
                    pacer.start(symbol, now);
                }
            }
        }
        enqueue(Frame.control(reply), added, firstFrames);
    }

    /** Ends the subscriptions; quotes of those symbols still waiting are dropped, then the reply is queued. */
    void deactivate(int[] symbols, String reply) {
        boolean claimed;
        synchronized (lock) {
            for (int symbol : symbols) {
                subscriptions.end(symbol);
                pacer.stop(symbol);
            }
            if (sendLoop.isClosed()) {
                return;
            }
            outbox.queue(Frame.control(reply));
            claimed = sendLoop.claim();
        }
        sendLoop.drainClaimed(claimed);
    }

    private void enqueue(Frame first, int[] symbols, FirstFrames firstFrames) {
        boolean claimed;
        boolean overflow;
        synchronized (lock) {
            if (sendLoop.isClosed()) {
                return;
            }
            outbox.queue(first);
            if (symbols != null) {
                for (int symbol : symbols) {
                    SubscriptionStart start = firstFrames.of(symbol, maxQueuedChars - charsHeld());
                    // A new subscription: its first frames go out even if the client had them before,
                    // and quotes of an earlier subscription still waiting never go out after them.
                    subscriptions.start(symbol, start.afterSeq());
                    for (Frame frame : start.frames()) {
                        outbox.queue(frame);
                    }
                }
            }
            overflow = charsHeld() > maxQueuedChars;
            claimed = !overflow && sendLoop.claim();
        }
        if (overflow) {
            close(CloseCode.POLICY, "over " + maxQueuedChars + " bytes waiting: the client is not reading");
        } else {
            sendLoop.drainClaimed(claimed);
        }
    }

    /**
     * What this client holds of the server's memory against its budget: the write in flight, replies
     * and first frames waiting, live quotes waiting in order.
     */
    private long charsHeld() {
        return sendLoop.charsInFlight() + outbox.charsHeld();
    }

    /** Closes the connection; nothing more is sent. */
    public void close(CloseCode code, String reason) {
        synchronized (lock) {
            if (!sendLoop.close()) {
                return;
            }
            outbox.clear();
            pacer.clear();
        }
        sink.close(code, reason);
    }

    public boolean isSubscribed(int symbol) {
        synchronized (lock) {
            return subscriptions.has(symbol);
        }
    }

    public int subscribedCount() {
        synchronized (lock) {
            return subscriptions.count();
        }
    }

    int[] subscribedSymbols() {
        synchronized (lock) {
            return subscriptions.symbols();
        }
    }

    /** Live quotes replaced by a newer one of the same symbol before they could be sent. */
    public long quotesConflated() {
        synchronized (lock) {
            return outbox.quotesConflated();
        }
    }

    /** Frames waiting for this client (queued replies and snapshots, plus pending and parked quotes). */
    public int framesWaiting() {
        synchronized (lock) {
            return outbox.size() + pacer.parkedCount();
        }
    }

    /**
     * What this client holds of the server's memory in frames: the characters of the frames
     * waiting (as {@link #framesWaiting}) and of the write in flight (the transport holds no more
     * for it). Quote frames are ASCII JSON, a byte a character on the wire. Frames are shared with
     * every other client, so this is what the client would cost if they were not.
     */
    public long charsWaiting() {
        synchronized (lock) {
            long chars = sendLoop.charsInFlight() + outbox.chars();
            for (int symbol = 0; symbol < subscriptions.symbolCount(); symbol++) {
                if (pacer.isParked(symbol)) {
                    chars += log.newest(symbol).text().length();
                }
            }
            return chars;
        }
    }

    /**
     * How long the write in flight has been in flight, in nanoseconds at {@code nowNanos}; 0 when
     * none is (or the connection is closed). A client that stopped reading keeps its one write in
     * flight for ever: the hub closes it once this passes {@code connection.stuckTimeoutMillis}.
     */
    public long stuckFor(long nowNanos) {
        synchronized (lock) {
            return sendLoop.stuckFor(nowNanos);
        }
    }
}
