package io.quotecast.websocket.jetty;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * What {@link JettyCoreSink} needs of one session's Jetty core session: whole frames handed to its
 * frame flusher. Jetty queues every frame of a session in order, on any thread, without blocking; a
 * batched frame is copied into the session's batch buffer, and the next frame that is not batched
 * writes that buffer and itself in one gathering write.
 */
interface CoreFrames {

    /**
     * Queues a text frame of {@code payload} (UTF-8); {@code done}, if not null, gets null once it is
     * written (or taken into the batch buffer), else the failure, on any thread, possibly before this
     * returns.
     */
    void sendText(ByteBuffer payload, boolean batch, Consumer<Throwable> done);

    /** Queues a ping of {@code payload}, not batched; its outcome is not reported. */
    void sendPing(ByteBuffer payload);
}
