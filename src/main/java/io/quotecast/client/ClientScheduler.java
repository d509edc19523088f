package io.quotecast.client;

/**
 * The client's one thread and its clock: every event and timer of a client runs through it, in order,
 * so that the client's state needs no lock. A seam, so that tests run time by hand.
 */
interface ClientScheduler {

    long nowMillis();

    void execute(Runnable task);

    /** Runs {@code task} after {@code delayMillis}, unless cancelled first. */
    Cancellable schedule(Runnable task, long delayMillis);

    /** Stops the thread; nothing runs after. */
    void shutdown();

    /** A scheduled task that may still be called off. */
    interface Cancellable {
        void cancel();
    }
}
