package io.quotecast.websocket;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Where the portable path's batched writes are flushed, shared by the sessions of a deployment. The
 * API's {@code flushBatch} returns once the bytes are written, so it never runs on a hub thread: it
 * is queued here, and a flusher (a loop on {@code executor}) runs the queued flushes one after
 * another. One flusher is enough while flushes return at once, as they do for clients that read, and
 * it takes many flushes per wake-up: a thread's wake-up per write cost as much as the write itself
 * (on Tomcat at load A, 11.8 CPU-s per million quotes with one hand-off per flush, 6.2 flushing in place).
 *
 * <p>A flush to a client that stopped reading waits until its container's send timeout. When the
 * flushers have made no progress for {@code stallMillis} while flushes wait, another flusher starts,
 * up to {@code maxFlushers}; once that many are stalled, writes are sent unbatched
 * ({@link #mayBatch}), which never waits, until one is free again. A session whose flush took longer
 * than {@code slowMillis} is slow: it never batches again, so it stalls a flusher once at most.
 */
final class BatchFlushes {

    static final int MAX_FLUSHERS = 8;
    /** Longer than any flush to a client that reads, on a busy machine. */
    static final long STALL_MILLIS = 50;
    /** A flush that took this long waited on its client's socket, not on the CPU. */
    static final long SLOW_MILLIS = 1_000;

    private final Executor executor;
    private final int maxFlushers;
    private final LongSupplier nanoClock;
    private final long stallNanos;
    private final long slowNanos;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger flushers = new AtomicInteger();
    private final Runnable flusher = this::flushQueued;
    /** When a flusher last started or ended a flush. */
    private volatile long progressNanos;

    BatchFlushes(Executor executor, int maxFlushers, LongSupplier nanoClock, long stallMillis, long slowMillis) {
        this.executor = executor;
        this.maxFlushers = maxFlushers;
        this.nanoClock = nanoClock;
        this.stallNanos = stallMillis * 1_000_000;
        this.slowNanos = slowMillis * 1_000_000;
    }

    /** The production one: {@value #MAX_FLUSHERS} flushers at most, the system's clock. */
    static BatchFlushes on(Executor executor) {
        return new BatchFlushes(executor, MAX_FLUSHERS, System::nanoTime, STALL_MILLIS, SLOW_MILLIS);
    }

    /** Whether a write may batch now: false while every flusher there may be is stalled. */
    boolean mayBatch() {
        if (!stalled()) {
            return true;
        }
        startFlusher();
        return flushers.get() < maxFlushers;
    }

    /** Queues {@code flush}; false if no flusher can run it (the executor refused: shutting down). */
    boolean submit(Runnable flush) {
        queue.add(flush);
        if (flushers.get() == 0 || stalled()) {
            return startFlusher() || !queue.remove(flush);
        }
        return true;
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }

    boolean tookTooLong(long startedNanos) {
        return nanoClock.getAsLong() - startedNanos > slowNanos;
    }

    private boolean stalled() {
        return !queue.isEmpty() && flushers.get() > 0 && nanoClock.getAsLong() - progressNanos > stallNanos;
    }

    /** Starts one more flusher if there may be one; false only if the executor refused it. */
    private boolean startFlusher() {
        int running;
        do {
            running = flushers.get();
            if (running >= maxFlushers) {
                return true;
            }
        } while (!flushers.compareAndSet(running, running + 1));
        progressNanos = nanoClock.getAsLong();
        try {
            executor.execute(flusher);
            return true;
        } catch (RejectedExecutionException e) {
            flushers.decrementAndGet();
            return false;
        }
    }

    /** A flusher: runs queued flushes until none is left, then ends; one queued as it ends is taken on. */
    private void flushQueued() {
        while (true) {
            Runnable flush = queue.poll();
            if (flush == null) {
                flushers.decrementAndGet();
                if (queue.isEmpty() || !rejoin()) {
                    return;
                }
                continue;
            }
            progressNanos = nanoClock.getAsLong();
            flush.run();
            progressNanos = nanoClock.getAsLong();
        }
    }

    private boolean rejoin() {
        int running;
        do {
            running = flushers.get();
            if (running >= maxFlushers) {
                return false;
            }
        } while (!flushers.compareAndSet(running, running + 1));
        return true;
    }
}
