package io.quotecast.stream;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One connection's subscriptions and its outbox: what is waiting to be sent to that client.
 *
 * <p>Memory per client is bounded in bytes whatever the client does: everything waiting for it,
 * and the write in flight, stays within {@code connection.maxQueuedBytes} (counted as characters of
 * JSON text, a byte each for quotes). Live quotes wait in {@link LiveQuotes}: in order, every tick,
 * within half of that budget, which a reader that keeps up never fills; past it, conflated per
 * symbol, so a client that reads slower than the feed gets the latest quote of each symbol and a
 * jump in {@code seq}, never a growing backlog. Replies, snapshots, replayed ticks and history wait
 * in order ahead of them; a replay that would not fit the budget is answered with a gap snapshot
 * instead, and a client whose waiting frames pass the budget is not reading and is closed with
 * {@link #CLOSE_NOT_READING}. A symbol subscribed with a {@code maxRate} is paced by a
 * {@link Pacer}, whose parked quotes the hub's timer releases. No thread per client, and the feed
 * never waits.
 *
 * <p>What a client sees, in order: replies (and errors) go out ahead of live quotes already waiting,
 * so that a reply is never held up behind a backlog. The protocol's two promises hold all the same,
 * because a quote is checked when it is taken for a write, not when it was queued: after
 * {@code unsubscribed} no quote of the symbol goes out (it is no longer subscribed), and after
 * {@code subscribed} the symbol's snapshot (or replay) goes out before any live quote of it (they
 * are queued with the reply, and a live quote not newer than the last one sent is dropped). A
 * re-subscribe starts a new subscription: its snapshot goes out even if the client had that very
 * quote before.
 *
 * <p>At most one write per client is in flight at a time, so the transport's own write queue holds
 * at most one write too. When frames have piled up behind it and the sink can take them together
 * ({@link FrameSink#coalesces()}), the next write carries up to {@value #COALESCE_FRAMES} of them.
 * Sending happens on the hub's sender threads; the feed only adds a quote and, if the outbox was
 * idle, has it drained, at once or at the hub's next flush ({@link Wake}). A client whose one frame
 * stays in flight too long is stuck (see {@link #stuckFor}); the hub closes it with
 * {@link #CLOSE_NOT_READING}.
 */
public final class Subscriber {

    /** Close code for a client that stopped reading: a policy violation (RFC 6455). */
    public static final int CLOSE_NOT_READING = 1008;
    private static final long NEVER = Long.MIN_VALUE;

    /** At most this many frames, or about this many bytes, go out in one coalesced write. */
    static final int COALESCE_FRAMES = 32;
    static final int COALESCE_BYTES = 32 * 1024;

    private final FrameSink sink;
    private final boolean coalesces;
    private final FrameLog log;
    private final Executor sender;
    private final ScheduledExecutorService timer;
    private final LiveQuotes live;
    private final Pacer pacer;
    private final long maxQueuedChars;
    /** The last seq of each symbol sent in the current subscription; 0 before its first quote. */
    private final long[] lastSentSeq;
    private final boolean[] subscribed;
    private int subscribedCount;
    private boolean releaseArmed;
    private long releaseAtNanos;
    private long sendStartedNanos = NEVER;
    /** Characters of the frames in the write in flight. */
    private int charsInFlight;
    /** When an outbox woken {@link Wake#AT_FLUSH} is due: a window after its last write. Feed thread only. */
    private long flushDueNanos;
    /** Replies, errors, snapshots and replayed ticks, in order, ahead of live quotes. */
    private final ArrayDeque<Frame> queued = new ArrayDeque<>();
    private long queuedChars;
    private boolean sending;
    private boolean drainScheduled;
    private boolean closed;
    private long quotesConflated;

    /** {@code maxQueuedChars}: what may wait for this client, the write in flight included, before it is closed. */
    Subscriber(int symbolCount, FrameSink sink, FrameLog log, Executor sender, ScheduledExecutorService timer,
               long maxQueuedChars) {
        this.sink = sink;
        this.coalesces = sink.coalesces();
        this.log = log;
        this.sender = sender;
        this.timer = timer;
        this.maxQueuedChars = maxQueuedChars;
        this.live = new LiveQuotes(symbolCount, log, maxQueuedChars / 2);
        this.pacer = new Pacer(symbolCount);
        this.lastSentSeq = new long[symbolCount];
        this.subscribed = new boolean[symbolCount];
    }

    /** Whether this client's transport writes several frames at once, so that its quotes can be gathered. */
    public boolean writesTogether() {
        return coalesces;
    }

    /** What the hub must do after handing a live tick to an outbox. */
    enum Wake {
        /** Nothing: the outbox was already waiting to be drained, or took nothing. */
        NONE,
        /** Drain it now, on a sender thread. */
        NOW,
        /** Drain it when the flush window ends, by {@link #flushDueNanos()}: it was written to less than a window ago. */
        AT_FLUSH
    }

    /** When the outbox that {@link #accept} last woke {@link Wake#AT_FLUSH} is due; read on the feed thread only. */
    long flushDueNanos() {
        return flushDueNanos;
    }

    /**
     * Takes a live tick (a frame of the hub's {@link FrameLog}) into the outbox at {@code nowNanos},
     * and says when it must be drained: a client written to less than {@code flushNanos} ago gets
     * the tick with the others gathered until the hub's flush, any other at once.
     */
    synchronized Wake accept(Frame quote, long nowNanos, long flushNanos) {
        int symbol = quote.symbolIndex();
        if (closed || !subscribed[symbol]) {
            return Wake.NONE;
        }
        if (pacer.isPaced(symbol)) {
            if (pacer.isParked(symbol) || live.isBehind(symbol)) {
                // Parked, or waiting among the conflated: the latest quote wins either way.
                quotesConflated++;
                return Wake.NONE;
            }
            if (!pacer.admit(symbol, nowNanos)) {
                armRelease(pacer.dueNanos(symbol), nowNanos);
                return Wake.NONE;
            }
        }
        queueLive(quote);
        if (!claimDrain()) {
            return Wake.NONE;
        }
        // Gathering pays only where the transport writes the gathered quotes together.
        boolean wroteLately = sendStartedNanos != NEVER && nowNanos - sendStartedNanos < flushNanos;
        if (coalesces && wroteLately) {
            flushDueNanos = sendStartedNanos + flushNanos;
            return Wake.AT_FLUSH;
        }
        return Wake.NOW;
    }

    /** Queues a live quote of the {@link FrameLog}. Hold the lock. */
    private void queueLive(Frame quote) {
        if (live.add(quote)) {
            quotesConflated++;
        }
    }

    /** Queues the symbol's newest quote, released by the pacer. Hold the lock. */
    private void queueReleased(int symbol) {
        queueLive(log.newest(symbol));
    }

    /** Makes sure the timer runs {@link #release} by {@code dueNanos}. Hold the lock. */
    private void armRelease(long dueNanos, long now) {
        if (releaseArmed && releaseAtNanos - dueNanos <= 0) {
            return;
        }
        releaseArmed = true;
        releaseAtNanos = dueNanos;
        timer.schedule(this::release, Math.max(0, dueNanos - now), TimeUnit.NANOSECONDS);
    }

    /** On the hub's timer: releases every parked quote whose interval has passed, and re-arms for the rest. */
    private void release() {
        boolean scheduleDrain;
        synchronized (this) {
            releaseArmed = false;
            if (closed || pacer.parkedCount() == 0) {
                return;
            }
            long now = System.nanoTime();
            long next = pacer.releaseDue(now, this::queueReleased);
            if (next != Pacer.NEVER) {
                armRelease(next, now);
            }
            scheduleDrain = hasWaiting() && claimDrain();
        }
        if (scheduleDrain) {
            sender.execute(this::drain);
        }
    }

    /** The least time between two quotes of the symbol, in nanoseconds; 0 when its rate is not capped. */
    public synchronized long minIntervalNanos(int symbol) {
        return pacer.intervalNanos(symbol);
    }

    /** Queues a reply (or error) frame behind every reply queued before it, ahead of live quotes. */
    public void send(String text) {
        enqueue(Frame.control(text), null, null);
    }

    /**
     * How a subscription starts: {@code frames} (its snapshot, or the ticks it missed) go out first,
     * and no quote of the symbol whose {@code seq} is {@code afterSeq} or less goes out at all.
     */
    record Start(long afterSeq, Frame[] frames) {
    }

    /** A subscription's start, by symbol. */
    @FunctionalInterface
    interface FirstFrames {
        /**
         * How {@code symbol}'s subscription starts, its frames' characters within {@code budgetChars}:
         * a replay that would not fit is replaced by a gap snapshot.
         */
        Start of(int symbol, long budgetChars);
    }

    /**
     * Sets the pacing of {@code paced} (at least {@code intervalNanos} between two quotes of each;
     * 0 lifts the cap), then starts the subscriptions of {@code added}, in order: the reply, then for
     * each symbol its first frames (the snapshot), all under this outbox's lock so that no live tick
     * can overtake or slip between them.
     */
    void activate(int[] added, int[] paced, long intervalNanos, String reply, FirstFrames firstFrames) {
        synchronized (this) {
            if (!closed) {
                long now = System.nanoTime();
                for (int symbol : paced) {
                    long due = pacer.setInterval(symbol, intervalNanos, now, this::queueReleased);
                    if (due != Pacer.NEVER) {
                        armRelease(due, now);
                    }
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
        boolean scheduleDrain;
        synchronized (this) {
            for (int symbol : symbols) {
                if (subscribed[symbol]) {
                    subscribed[symbol] = false;
                    subscribedCount--;
                }
                pacer.stop(symbol);
            }
            if (closed) {
                return;
            }
            queue(Frame.control(reply));
            scheduleDrain = claimDrain();
        }
        if (scheduleDrain) {
            sender.execute(this::drain);
        }
    }

    private void enqueue(Frame first, int[] symbols, FirstFrames firstFrames) {
        boolean scheduleDrain;
        boolean overflow = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            queue(first);
            if (symbols != null) {
                for (int symbol : symbols) {
                    if (!subscribed[symbol]) {
                        subscribed[symbol] = true;
                        subscribedCount++;
                    }
                    Start start = firstFrames.of(symbol, maxQueuedChars - charsHeld());
                    // A new subscription: its first frames go out even if the client had them before,
                    // and quotes of an earlier subscription still waiting never go out after them.
                    lastSentSeq[symbol] = start.afterSeq();
                    for (Frame frame : start.frames()) {
                        queue(frame);
                    }
                }
            }
            if (charsHeld() > maxQueuedChars) {
                overflow = true;
                scheduleDrain = false;
            } else {
                scheduleDrain = claimDrain();
            }
        }
        if (overflow) {
            close(CLOSE_NOT_READING, "over " + maxQueuedChars + " bytes waiting: the client is not reading");
        } else if (scheduleDrain) {
            sender.execute(this::drain);
        }
    }

    /** Adds a frame to {@link #queued}. Hold the lock. */
    private void queue(Frame frame) {
        queued.add(frame);
        queuedChars += frame.text().length();
    }

    /**
     * What this client holds of the server's memory: the write in flight, replies and first frames
     * waiting, live quotes waiting in order. Hold the lock. (Conflated and parked quotes, at most one
     * per symbol, are left out: the bound is checked where replies are queued, and it must not cost
     * the feed a walk over the symbols.)
     */
    private long charsHeld() {
        return (sending ? charsInFlight : 0) + queuedChars + live.charsInOrder();
    }

    /** Closes the connection; nothing more is sent. */
    public void close(int code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queued.clear();
            queuedChars = 0;
            live.clear();
            pacer.clear();
        }
        sink.close(code, reason);
    }

    public synchronized boolean isSubscribed(int symbol) {
        return subscribed[symbol];
    }

    public synchronized int subscribedCount() {
        return subscribedCount;
    }

    synchronized int[] subscribedSymbols() {
        int[] symbols = new int[subscribedCount];
        for (int i = 0, n = 0; i < subscribed.length; i++) {
            if (subscribed[i]) {
                symbols[n++] = i;
            }
        }
        return symbols;
    }

    /** Live quotes replaced by a newer one of the same symbol before they could be sent. */
    public synchronized long quotesConflated() {
        return quotesConflated;
    }

    /** Frames waiting in this outbox (queued replies and snapshots, plus pending and parked quotes). */
    public synchronized int framesWaiting() {
        return queued.size() + live.size() + pacer.parkedCount();
    }

    /**
     * What this client holds of the server's memory in frames: the characters of the frames
     * waiting (as {@link #framesWaiting}) and of the write in flight (the transport holds no more
     * for it). Quote frames are ASCII JSON, a byte a character on the wire. Frames are shared with
     * every other client, so this is what the client would cost if they were not.
     */
    public synchronized long charsWaiting() {
        long chars = (sending ? charsInFlight : 0) + queuedChars + live.chars();
        for (int symbol = 0; symbol < subscribed.length; symbol++) {
            if (pacer.isParked(symbol)) {
                chars += log.newest(symbol).text().length();
            }
        }
        return chars;
    }

    /**
     * How long the frame in flight has been in flight, in nanoseconds at {@code nowNanos}; 0 when
     * none is (or the outbox is closed). A client that stopped reading keeps its one frame in flight
     * for ever: the hub closes it once this passes {@code connection.stuckTimeoutMillis}.
     */
    public synchronized long stuckFor(long nowNanos) {
        return sending && !closed ? Math.max(0, nowNanos - sendStartedNanos) : 0;
    }

    /** True if the caller must schedule a drain: the outbox was idle. Call holding the lock. */
    private boolean claimDrain() {
        if (sending || drainScheduled) {
            return false;
        }
        drainScheduled = true;
        return true;
    }

    /**
     * Sends frames until the outbox is empty or a send is still in flight. A transport that
     * completes sends synchronously makes this loop, not recurse.
     */
    void drain() {
        while (true) {
            Frame next;
            Frame[] coalesced = null;
            int count = 1;
            synchronized (this) {
                next = sending || closed ? null : nextFrame();
                if (next == null) {
                    drainScheduled = false;
                    return;
                }
                int chars = next.text().length();
                if (coalesces) {
                    // More waiting: they go in the same write (one system call, not one each).
                    Frame more;
                    while (count < COALESCE_FRAMES && chars < COALESCE_BYTES && (more = nextFrame()) != null) {
                        if (coalesced == null) {
                            // Young, per write: a reused array would be old, and each store a card mark.
                            coalesced = new Frame[COALESCE_FRAMES];
                            coalesced[0] = next;
                        }
                        coalesced[count++] = more;
                        chars += more.text().length();
                    }
                }
                sending = true;
                charsInFlight = chars;
                sendStartedNanos = System.nanoTime();
            }
            try {
                if (count == 1) {
                    sink.send(next, this::sent);
                } else {
                    sink.send(coalesced, count, this::sent);
                }
            } catch (RuntimeException e) {
                sent(e);
            }
        }
    }

    private void sent(Throwable failure) {
        boolean scheduleDrain;
        synchronized (this) {
            sending = false;
            if (failure != null) {
                // The connection is broken; the transport reports its close, which disconnects us.
                closed = true;
                return;
            }
            scheduleDrain = hasWaiting() && claimDrain();
        }
        if (scheduleDrain) {
            sender.execute(this::drain);
        }
    }

    private boolean hasWaiting() {
        return !queued.isEmpty() || !live.isEmpty();
    }

    /**
     * The next frame worth sending: queued replies and snapshots first, then live quotes in order,
     * then conflated quotes, oldest symbol first.
     */
    private Frame nextFrame() {
        Frame frame;
        while ((frame = queued.poll()) != null) {
            queuedChars -= frame.text().length();
            if (!frame.isQuote() || take(frame)) {
                return frame;
            }
        }
        while ((frame = live.poll()) != null) {
            if (take(frame)) {
                return frame;
            }
        }
        return null;
    }

    /** Whether a quote may go out now: still subscribed, and newer than what the client has. */
    private boolean take(Frame quote) {
        int symbol = quote.symbolIndex();
        if (!subscribed[symbol] || quote.seq() <= lastSentSeq[symbol]) {
            return false;
        }
        lastSentSeq[symbol] = quote.seq();
        return true;
    }
}
