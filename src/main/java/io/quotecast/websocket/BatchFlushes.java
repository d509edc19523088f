package io.quotecast.websocket;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Where the portable path's batched writes are flushed, shared by the sessions of a deployment. The
 * API's {@code flushBatch} returns once the bytes are written, so it never runs on a hub thread: it
 * is queued here, and a flusher (a loop on {@code executor}) runs the queued flushes one after
 * another. One flusher is enough while flushes return at once, as they do for clients that read, and
 * it takes many flushes per wake-up: a thread's wake-up per write cost as much as the write itself
 * (on Tomcat at load A, 11.8 CPU-s per million quotes with one hand-off per flush, 6.2 flushing in place).
 *
 * <p>A flush to a client that stopped reading waits until its container's send timeout. While
 * flushers run, a watcher looks every {@code stallMillis}: when they have made no progress for that
 * long while flushes wait, another flusher starts, up to {@code maxFlushers}, so that the clients
 * behind a stuck one are flushed all the same; once that many are stalled, writes are sent unbatched
 * ({@link #mayBatch}), which never waits, until one is free again. A session whose flush took longer
 * than {@code slowMillis} is slow: it does not batch until it takes writes promptly again
 * ({@link WriteChoice}), so it stalls a flusher once per pause at most.
 *
 * <p>Where the flushers send writes frame by frame (a container that does not batch: one system call
 * per frame), one flusher can be busy all the time without stalling; when more than {@value #BACKLOG}
 * writes wait, another starts, up to {@code busyFlushers} (the cores), so that the backlog is not
 * one thread's.
 */
final class BatchFlushes {

    static final int MAX_FLUSHERS = 8;
    /** Longer than any flush to a client that reads, on a busy machine. */
    static final long STALL_MILLIS = 50;
    /** A flush that took this long waited on its client's socket, not on the CPU. */
    static final long SLOW_MILLIS = 1_000;
    /** Writes waiting beyond which the flushers are busy: about a third of a millisecond of load A's. */
    static final int BACKLOG = 32;

    private final Executor executor;
    private final int maxFlushers;
    private final int busyFlushers;
    private final AtomicInteger queued = new AtomicInteger();
    private final LongSupplier nanoClock;
    private final long stallNanos;
    private final long slowNanos;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger flushers = new AtomicInteger();
    private final Runnable flusher = this::flushQueued;
    private final Runnable watcher = this::watch;
    private final AtomicBoolean watching = new AtomicBoolean();
    private final LongConsumer pause;
    /** When a flusher last started or ended a flush. */
    private volatile long progressNanos;

    /** {@code pause}: waits about that many nanoseconds (the watcher's look interval). */
    BatchFlushes(Executor executor, int maxFlushers, LongSupplier nanoClock, LongConsumer pause, long stallMillis,
                 long slowMillis) {
        this(executor, maxFlushers, 1, nanoClock, pause, stallMillis, slowMillis);
    }

    /** As above, with up to {@code busyFlushers} running while more than {@value #BACKLOG} writes wait. */
    BatchFlushes(Executor executor, int maxFlushers, int busyFlushers, LongSupplier nanoClock, LongConsumer pause,
                 long stallMillis, long slowMillis) {
        this.executor = executor;
        this.busyFlushers = Math.min(busyFlushers, maxFlushers);
        this.pause = pause;
        this.maxFlushers = maxFlushers;
        this.nanoClock = nanoClock;
        this.stallNanos = stallMillis * 1_000_000;
        this.slowNanos = slowMillis * 1_000_000;
    }

    /** The production one: {@value #MAX_FLUSHERS} flushers at most, the system's clock. */
    static BatchFlushes on(Executor executor) {
        return new BatchFlushes(executor, MAX_FLUSHERS, Runtime.getRuntime().availableProcessors(), System::nanoTime,
                LockSupport::parkNanos, STALL_MILLIS, SLOW_MILLIS);
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
        int waiting = queued.incrementAndGet();
        int running = flushers.get();
        if (running == 0 || stalled() || waiting > BACKLOG && running < busyFlushers) {
            if (startFlusher()) {
                return true;
            }
            if (queue.remove(flush)) {
                queued.decrementAndGet();
                return false;
            }
        }
        return true;
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }

    /** Whether a write that took {@code nanos} waited on its client's socket, not on the CPU. */
    boolean tooLong(long nanos) {
        return nanos > slowNanos;
    }

    private boolean stalled() {
        return !queue.isEmpty() && flushers.get() > 0 && nanoClock.getAsLong() - progressNanos >= stallNanos;
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
        } catch (RejectedExecutionException e) {
            flushers.decrementAndGet();
            return false;
        }
        if (watching.compareAndSet(false, true)) {
            try {
                executor.execute(watcher);
            } catch (RejectedExecutionException e) {
                watching.set(false); // shutting down
            }
        }
        return true;
    }

    /** The watcher: while flushers run, starts another whenever they are stalled; ends when none runs. */
    private void watch() {
        while (!Thread.currentThread().isInterrupted()) {
            pause.accept(stallNanos);
            if (stalled()) {
                startFlusher();
            } else if (flushers.get() == 0) {
                watching.set(false);
                // a flusher started as this one was leaving found it still watching: stay
                if (flushers.get() == 0 || !watching.compareAndSet(false, true)) {
                    return;
                }
            }
        }
        watching.set(false);
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
            queued.decrementAndGet();
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
