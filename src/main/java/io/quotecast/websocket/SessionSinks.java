package io.quotecast.websocket;

import io.quotecast.stream.FrameSink;
import jakarta.websocket.Session;

/**
 * Makes the {@link FrameSink} of each new WebSocket session. The portable one suits every container;
 * the standalone server swaps in one tuned for the Tyrus it ships.
 */
@FunctionalInterface
public interface SessionSinks {

    SessionSinks PORTABLE = SessionSink::new;

    FrameSink sinkFor(Session session);
}
