package io.quotecast.stream;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One client's writes: at most one in flight at a time, so the transport's own write queue holds at
 * most one too. A drain sends what waits in the {@link Outbox} until it is empty or a write is in
 * flight; where the sink gathers ({@link FrameSink#gathers()}), frames that piled up behind a write
 * go out together in the next, up to {@value #GATHER_FRAMES} frames or about {@value #GATHER_CHARS}
 * characters. It also times the write in flight, for the hub's stuck-client sweep.
 *
 * <p>Draining is claimed under the {@link Subscriber}'s lock ({@link #claim}), so that exactly one
 * drain is due or running at a time, and started outside it ({@link #drainClaimed}): the sink is
 * never called holding the lock.
 */
final class SendLoop {

    /** At most this many frames, or about this many characters, go out in one gathered write. */
    static final int GATHER_FRAMES = 32;
    static final int GATHER_CHARS = 32 * 1024;
    private static final long NEVER = Long.MIN_VALUE;

    private final Object lock;
    private final FrameSink sink;
    private final boolean gathers;
    private final Outbox outbox;
    private final Subscriptions subscriptions;
    private final Executor sender;
    private final Scheduler clock;
    private final Runnable drain = this::drain;
    private final Consumer<Throwable> sent = this::sent;
    /** Told of a failed write, without the lock. */
    private final Consumer<Throwable> failed;

    private boolean sending;
    private boolean drainScheduled;
    private boolean closed;
    /** Characters of the frames in the write in flight. */
    private int charsInFlight;
    private long sendStartedNanos = NEVER;

    SendLoop(Object lock, FrameSink sink, Outbox outbox, Subscriptions subscriptions, Executor sender,
             Scheduler clock, Consumer<Throwable> failed) {
        this.lock = lock;
        this.sink = sink;
        this.gathers = sink.gathers();
        this.outbox = outbox;
        this.subscriptions = subscriptions;
        this.sender = sender;
        this.clock = clock;
        this.failed = failed;
    }

    boolean gathers() {
        return gathers;
    }

    /** Asked each time: a sink learns from its first writes whether its writes gather at all. */
    boolean gathersEveryQuote() {
        return gathers && sink.gathersEveryQuote();
    }

    /**
     * True if the caller must now have the outbox drained: frames wait, no write is in flight and no
     * drain is due. The caller then runs {@link #drain} itself or hands it to {@link #drainClaimed}.
     */
    boolean claim() {
        assert Thread.holdsLock(lock);
        if (closed || sending || drainScheduled || outbox.isEmpty()) {
            return false;
        }
        drainScheduled = true;
        return true;
    }

    /** Has a drain that {@link #claim} gave the caller run on a sender thread. Call without the lock. */
    void drainClaimed(boolean claimed) {
        assert !Thread.holdsLock(lock);
        if (claimed) {
            sender.execute(drain);
        }
    }

    /** Whether the last write started less than {@code windowNanos} before {@code nowNanos}. */
    boolean wroteWithin(long windowNanos, long nowNanos) {
        assert Thread.holdsLock(lock);
        return sendStartedNanos != NEVER && nowNanos - sendStartedNanos < windowNanos;
    }

    /** When the last write started, on the clock's nanoseconds; only after {@link #wroteWithin} said it did. */
    long lastWriteNanos() {
        assert Thread.holdsLock(lock);
        return sendStartedNanos;
    }

    /** Characters of the write in flight; 0 when none is. */
    int charsInFlight() {
        assert Thread.holdsLock(lock);
        return sending ? charsInFlight : 0;
    }

    /** How long the write in flight has been in flight at {@code nowNanos}; 0 when none is, or once closed. */
    long stuckFor(long nowNanos) {
        assert Thread.holdsLock(lock);
        return sending && !closed ? Math.max(0, nowNanos - sendStartedNanos) : 0;
    }

    boolean isClosed() {
        assert Thread.holdsLock(lock);
        return closed;
    }

    /** Nothing more is sent; false if it was closed already. */
    boolean close() {
        assert Thread.holdsLock(lock);
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    /**
     * Sends frames until the outbox is empty or a write is still in flight. A sink that completes
     * writes synchronously makes this loop, not recurse: the drain stays claimed until it returns.
     */
    void drain() {
        assert !Thread.holdsLock(lock);
        while (true) {
            Frame next;
            Frame[] gathered = null;
            int count = 1;
            synchronized (lock) {
                next = sending || closed ? null : outbox.next(subscriptions);
                if (next == null) {
                    drainScheduled = false;
                    return;
                }
                int chars = next.text().length();
                if (gathers) {
                    // More waiting: they go in the same write (one system call, not one each).
                    Frame more;
                    while (count < GATHER_FRAMES && chars < GATHER_CHARS && (more = outbox.next(subscriptions)) != null) {
                        if (gathered == null) {
                            // Young, per write: a reused array would be old, and each store a card mark.
                            gathered = new Frame[GATHER_FRAMES];
                            gathered[0] = next;
                        }
                        gathered[count++] = more;
                        chars += more.text().length();
                    }
                }
                sending = true;
                charsInFlight = chars;
                sendStartedNanos = clock.nanoTime();
            }
            try {
                if (count == 1) {
                    sink.send(next, sent);
                } else {
                    sink.send(gathered, count, sent);
                }
            } catch (RuntimeException e) {
                sent(e);
            }
        }
    }

    /** The write in flight is done: the next one may start, or, if it failed, the connection is over. */
    private void sent(Throwable failure) {
        boolean claimed;
        synchronized (lock) {
            sending = false;
            claimed = failure == null && claim();
        }
        if (failure != null) {
            failed.accept(failure);
        } else {
            drainClaimed(claimed);
        }
    }
}
