package io.quotecast.websocket;

import io.quotecast.stream.FrameSink;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * A {@link FrameSink} over a WebSocket session's asynchronous remote: sends never block the caller.
 * Portable: it uses only the Jakarta WebSocket API, so it works in any container.
 */
public class SessionSink implements FrameSink {

    private static final System.Logger LOG = System.getLogger(SessionSink.class.getName());

    private final Session session;

    public SessionSink(Session session) {
        this.session = session;
    }

    @Override
    public void send(String text, Consumer<Throwable> done) {
        session.getAsyncRemote().sendText(text, result -> done.accept(result.isOK() ? null : result.getException()));
    }

    @Override
    public void close(int code, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a session that is already gone", e);
        }
    }
}
