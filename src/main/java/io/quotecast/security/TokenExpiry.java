package io.quotecast.security;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action when a connection's token expires. One thread for the whole server, started on
 * the first token with an expiry (never with tokens off), stopped by {@link #close()}.
 */
public final class TokenExpiry implements AutoCloseable {

    private final ScheduledThreadPoolExecutor timer;

    public TokenExpiry() {
        timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "quotecast-token-expiry");
            thread.setDaemon(true);
            return thread;
        });
        // a refreshed token cancels its old expiry: drop it at once rather than hold it until it would have run
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Runs {@code action} at {@code expires} (at once if that has passed); cancel the returned future to call it off. */
    public Future<?> at(Instant expires, Runnable action) {
        long delay = Math.max(0, Duration.between(Instant.now(), expires).toMillis());
        return timer.schedule(action, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
