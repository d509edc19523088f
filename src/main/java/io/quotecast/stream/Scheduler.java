package io.quotecast.stream;

/**
 * The stream's time: a monotonic clock and one timer thread that runs tasks later, in order. The
 * clock and the timer are one object so that a test moves both together ({@link HubThreads#start()}
 * makes the real one).
 */
interface Scheduler {

    /** Now, in nanoseconds of a clock that only moves forward (as {@link System#nanoTime()}). */
    long nanoTime();

    /** Runs {@code task} on the timer thread once {@code delayNanos} have passed. */
    void schedule(Runnable task, long delayNanos);
}
