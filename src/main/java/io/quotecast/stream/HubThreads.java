package io.quotecast.stream;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the hub's work runs: the sender pool that drains outboxes, how many threads it has (the hub
 * splits a wake-up of many outboxes into that many hand-offs), and the timer with its clock.
 * {@link #start()} makes the production threads; a test passes a direct or manual executor and a
 * manual {@link Scheduler}, so that nothing runs unless it says so.
 */
final class HubThreads implements AutoCloseable {

    final Executor sender;
    final int senders;
    final Scheduler timer;
    private final Runnable stop;

    HubThreads(Executor sender, int senders, Scheduler timer, Runnable stop) {
        this.sender = sender;
        this.senders = senders;
        this.timer = timer;
        this.stop = stop;
    }

    /** Daemon sender threads, one per core (at least two), and one daemon timer on the system clock. */
    static HubThreads start() {
        AtomicInteger threads = new AtomicInteger();
        int senders = Math.max(2, Runtime.getRuntime().availableProcessors());
        ExecutorService sender = Executors.newFixedThreadPool(senders, task -> {
            Thread thread = new Thread(task, "quotecast-sender-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "quotecast-timer");
            thread.setDaemon(true);
            return thread;
        });
        Scheduler scheduler = new Scheduler() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void schedule(Runnable task, long delayNanos) {
                timer.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            }
        };
        return new HubThreads(sender, senders, scheduler, () -> {
            timer.shutdownNow();
            sender.shutdown();
            try {
                sender.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void close() {
        stop.run();
    }
}
