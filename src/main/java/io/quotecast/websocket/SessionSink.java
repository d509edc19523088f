package io.quotecast.websocket;

import io.quotecast.stream.CloseCode;
import io.quotecast.stream.FrameSink;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A {@link FrameSink} over one WebSocket session: the base of every write path. It also sends the
 * keepalive's pings, so that a write path that orders its writes orders pings with them.
 *
 * <p>The {@link PortableSink} is the one every container gets; a container's accelerated sink (in
 * its own package: {@code websocket.tyrus}, {@code websocket.undertow}, {@code websocket.jetty}, {@code server.tyrus}) extends
 * this class, or {@link FramedWriteSink}, and names itself in {@link #writePath()}, which the start-up
 * log and {@code /metrics} report.
 */
public abstract class SessionSink implements FrameSink {

    private static final System.Logger LOG = System.getLogger(SessionSink.class.getName());
    /** The keepalive ping's payload: echoed in the pong, two bytes that say whose ping it was. */
    static final byte[] PING_PAYLOAD = {'q', 'c'};

    private final Session session;

    protected SessionSink(Session session) {
        this.session = session;
    }

    /** The write path's name, e.g. {@code portable}, {@code tyrus-writer}, {@code undertow}. */
    public abstract String writePath();

    /** Text through the Jakarta API; the container orders it with its own writes. */
    @Override
    public void send(String text, Consumer<Throwable> done) {
        session.getAsyncRemote().sendText(text, result -> done.accept(result.isOK() ? null : result.getException()));
    }

    /** The keepalive ping's payload, new for each ping (a container may read it as it writes). */
    protected static ByteBuffer pingPayload() {
        return ByteBuffer.wrap(PING_PAYLOAD.clone());
    }

    /**
     * Sends a keepalive ping. A connection that cannot take one will not answer it either, and the
     * pong timeout closes it, so a failure is no error here. A closed session gets none: Open Liberty's
     * ping waits, with no bound, for a write permit that a closed connection never gives back.
     */
    public void ping() {
        if (!session.isOpen()) {
            return;
        }
        try {
            session.getAsyncRemote().sendPing(pingPayload());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "ping failed", e);
        }
    }

    @Override
    public void close(CloseCode code, String reason) {
        Closing.close(session, code, reason);
    }
}
