package io.quotecast.stream;

import java.util.function.IntConsumer;

/**
 * The timer side of one client's {@code maxRate}: keeps the hub's timer armed for the earliest quote its
 * {@link Pacer} parked and, when the timer fires, queues every parked quote whose interval has passed
 * and starts a drain. One timer task per client at most, re-armed only for an earlier quote.
 *
 * <p>Guarded by its {@link Subscriber}'s lock (the lock rule), which {@link #release} takes itself: it
 * runs on the timer thread.
 */
final class PacedRelease {

    private final Object lock;
    private final Pacer pacer;
    private final SendLoop sendLoop;
    private final Scheduler timer;
    /** Queues the symbol's newest quote, released by the pacer; made once, not per release. */
    private final IntConsumer queueReleased;
    private boolean armed;
    private long atNanos;

    PacedRelease(Object lock, Pacer pacer, Outbox outbox, FrameLog log, SendLoop sendLoop, Scheduler timer) {
        this.lock = lock;
        this.pacer = pacer;
        this.sendLoop = sendLoop;
        this.timer = timer;
        this.queueReleased = symbol -> outbox.queueLive(log.newest(symbol));
    }

    /** Sets the symbol's least interval between two quotes (0: no cap), releasing what that frees. */
    void setInterval(int symbol, long intervalNanos, long now) {
        long due = pacer.setInterval(symbol, intervalNanos, now, queueReleased);
        if (due != Pacer.NEVER) {
            arm(due, now);
        }
    }

    /** Makes sure the timer runs {@link #release} by {@code dueNanos}. */
    void arm(long dueNanos, long now) {
        assert Thread.holdsLock(lock);
        if (armed && atNanos - dueNanos <= 0) {
            return;
        }
        armed = true;
        atNanos = dueNanos;
        // Scheduling only queues the task for the timer thread: it never runs it here.
        timer.schedule(this::release, Math.max(0, dueNanos - now));
    }

    /** On the hub's timer: releases every parked quote whose interval has passed, and re-arms for the rest. */
    private void release() {
        boolean claimed;
        synchronized (lock) {
            armed = false;
            if (sendLoop.isClosed() || pacer.parkedCount() == 0) {
                return;
            }
            long now = timer.nanoTime();
            long next = pacer.releaseDue(now, queueReleased);
            if (next != Pacer.NEVER) {
                arm(next, now);
            }
            claimed = sendLoop.claim();
        }
        sendLoop.drainClaimed(claimed);
    }
}
