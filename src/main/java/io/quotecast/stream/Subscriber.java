package io.quotecast.stream;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * One connection's subscriptions and its outbox: what is waiting to be sent to that client.
 *
 * <p>Memory per client is bounded whatever the client does. Live quotes wait in {@link LiveQuotes}:
 * in order while few, then conflated per symbol, so a client that reads slower than the feed gets
 * the latest quote of each symbol and a jump in {@code seq}, never a growing backlog. Replies,
 * snapshots and replayed ticks wait in order ahead of them; a client that lets more than
 * {@value #MAX_QUEUED_FRAMES} replies pile up is not reading and is closed. (Snapshots and replays
 * are bounded by the symbols subscribed and the ticks buffered per symbol.) A symbol subscribed
 * with a {@code maxRate} is paced by a {@link Pacer}, whose parked quotes the hub's timer releases.
 * No thread per client, and the feed never waits.
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

    static final int MAX_QUEUED_FRAMES = 1024;
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
    private final ArrayDeque<Frame> queued = new ArrayDeque<>();
    /** Replies and errors among {@link #queued}: only these count against the bound. */
    private int queuedReplies;
    private boolean sending;
    private boolean drainScheduled;
    private boolean closed;
    private long quotesConflated;

    Subscriber(int symbolCount, FrameSink sink, FrameLog log, Executor sender, ScheduledExecutorService timer) {
        this.sink = sink;
        this.coalesces = sink.coalesces();
        this.log = log;
        this.sender = sender;
        this.timer = timer;
        this.live = new LiveQuotes(symbolCount, log);
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
        queueLive(symbol, quote.position());
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

    /** Queues a live quote by its {@link FrameLog} position. Hold the lock. */
    private void queueLive(int symbol, long position) {
        if (live.add(symbol, position)) {
            quotesConflated++;
        }
    }

    /** Queues the symbol's newest quote, released by the pacer. Hold the lock. */
    private void queueReleased(int symbol) {
        queueLive(symbol, log.newest(symbol).position());
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

    /** Queues a reply (or error) frame behind everything queued before it. */
    public void send(String text) {
        enqueue(Frame.control(text), null, null);
    }

    /**
     * Sets the pacing of {@code paced} (at least {@code intervalNanos} between two quotes of each;
     * 0 lifts the cap), then starts the subscriptions of {@code added}, in order: the reply, then for
     * each symbol its first frames (the snapshot), all under this outbox's lock so that no live tick
     * can overtake or slip between them.
     */
    void activate(int[] added, int[] paced, long intervalNanos, String reply, IntFunction<Frame[]> firstFrames) {
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
            queued.add(Frame.control(reply));
            queuedReplies++;
            scheduleDrain = claimDrain();
        }
        if (scheduleDrain) {
            sender.execute(this::drain);
        }
    }

    private void enqueue(Frame first, int[] symbols, IntFunction<Frame[]> firstFrames) {
        boolean scheduleDrain;
        boolean overflow = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            queued.add(first);
            queuedReplies++;
            if (symbols != null) {
                for (int symbol : symbols) {
                    if (!subscribed[symbol]) {
                        subscribed[symbol] = true;
                        subscribedCount++;
                    }
                    Collections.addAll(queued, firstFrames.apply(symbol));
                }
            }
            if (queuedReplies > MAX_QUEUED_FRAMES) {
                overflow = true;
                scheduleDrain = false;
            } else {
                scheduleDrain = claimDrain();
            }
        }
        if (overflow) {
            close(CLOSE_NOT_READING, "too many frames waiting: the client is not reading");
        } else if (scheduleDrain) {
            sender.execute(this::drain);
        }
    }

    /** Closes the connection; nothing more is sent. */
    public void close(int code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queued.clear();
            queuedReplies = 0;
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
        long chars = sending ? charsInFlight : 0;
        for (Frame frame : queued) {
            chars += frame.text().length();
        }
        chars += live.chars();
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
            if (!frame.isQuote()) {
                queuedReplies--;
                return frame;
            }
            if (take(frame)) {
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
