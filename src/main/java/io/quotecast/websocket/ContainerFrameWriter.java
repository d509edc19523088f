package io.quotecast.websocket;

import jakarta.websocket.Session;

import java.util.function.Consumer;

/**
 * A container's own write of whole WebSocket frames, framed already, under that container's rule of
 * one write at a time per connection. Where a container neither batches nor lets frames share a
 * system call through the API (Open Liberty), the frames of one gathered write go through this in one
 * write, started on the thread that hands the write over where that cannot wait, else on a flusher of the
 * portable path, which keeps every other rule of that path: one operation in flight per session, pings
 * and the close behind it.
 *
 * <p>The write never waits for the client: a flusher serves every session, and one client that stops
 * reading must not hold it. It completes at once when the socket takes the bytes, else later on one of
 * the container's threads, or fails after the timeout the writer was made with.
 */
@FunctionalInterface
public interface ContainerFrameWriter {

    /**
     * Starts writing {@code wire} (one or more whole frames); {@code done} gets null once written, or
     * the failure, exactly once, on this thread before the call returns or later on another.
     */
    void write(byte[] wire, Consumer<Throwable> done);

    /**
     * The same, on a thread that must not wait at all (the sender's, which serves every session): starts
     * the write and returns true, or returns false, having done nothing, where starting it could wait (a
     * write of the container's own is in progress); the write then goes through {@link #write} on a flusher.
     */
    default boolean tryWrite(byte[] wire, Consumer<Throwable> done) {
        return false;
    }

    /** Makes the writer of a session, or null where the container's internals it needs are not reachable for it. */
    @FunctionalInterface
    interface Factory {
        /** {@code timeoutMillis}: how long a write may wait for the client before it fails. */
        ContainerFrameWriter of(Session session, long timeoutMillis);
    }
}
