package io.quotecast.websocket;

import jakarta.websocket.Session;

import java.io.IOException;

/**
 * A container's own blocking write of whole WebSocket frames, framed already, under that container's
 * rule of one write at a time per connection. Where a container neither batches nor lets frames share
 * a system call through the API (Open Liberty), the frames of one gathered write go through this in
 * one write, on a flusher of the portable path, which keeps every other rule of that path: one
 * operation in flight per session, pings and the close behind it.
 */
@FunctionalInterface
public interface BlockingFrameWriter {

    /** Writes {@code wire} (one or more whole frames) and returns once written; fails as the API's blocking send would. */
    void write(byte[] wire) throws IOException;

    /** Makes the writer of a session, or null where the container's internals it needs are not reachable for it. */
    @FunctionalInterface
    interface Factory {
        /** {@code timeoutMillis}: how long a write may wait for the client before it fails. */
        BlockingFrameWriter of(Session session, long timeoutMillis);
    }
}
