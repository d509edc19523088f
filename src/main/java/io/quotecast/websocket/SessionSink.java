package io.quotecast.websocket;

import io.quotecast.stream.Frame;
import io.quotecast.stream.FrameSink;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * A {@link FrameSink} over a WebSocket session's asynchronous remote: sends never block the caller.
 *
 * <p>On Tyrus, sends go straight to the session's {@code TyrusWebSocket}: Tyrus's
 * {@code RemoteEndpoint.Async.sendText} reschedules the session's idle-timeout task on every send
 * (a cancel, a schedule and a thread hand-off per frame, even with no idle timeout set), which cost
 * the fan-out more than the send itself. A fan-out {@link Frame} goes further down, to the
 * connection's writer, already framed ({@link Frame#wire()}: encoded once per tick, not once per
 * client, as Tyrus's own broadcast does). Elsewhere, and if Tyrus's internals ever change, the
 * portable async remote is used.
 */
final class SessionSink implements FrameSink {

    private static final System.Logger LOG = System.getLogger(SessionSink.class.getName());

    private final Session session;
    private final TyrusDirect direct;

    SessionSink(Session session) {
        this.session = session;
        this.direct = TyrusDirect.of(session);
    }

    @Override
    public void send(String text, Consumer<Throwable> done) {
        SendHandler handler = result -> done.accept(result.isOK() ? null : result.getException());
        if (direct != null) {
            direct.sendText(text, handler);
        } else {
            session.getAsyncRemote().sendText(text, handler);
        }
    }

    @Override
    public void send(Frame frame, Consumer<Throwable> done) {
        if (direct != null && direct.canWriteRaw()) {
            direct.writeRaw(frame.wire(), done);
        } else {
            send(frame.text(), done);
        }
    }

    @Override
    public boolean coalesces() {
        return direct != null && direct.canWriteRaw();
    }

    @Override
    public void send(Frame[] frames, int count, Consumer<Throwable> done) {
        int length = 0;
        for (int i = 0; i < count; i++) {
            length += frames[i].wire().length;
        }
        byte[] joined = new byte[length];
        int at = 0;
        for (int i = 0; i < count; i++) {
            byte[] wire = frames[i].wire();
            System.arraycopy(wire, 0, joined, at, wire.length);
            at += wire.length;
        }
        direct.writeRaw(joined, done);
    }

    @Override
    public void close(int code, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a session that is already gone", e);
        }
    }

    /** The Tyrus socket under a session's remote, found once per session by reflection. */
    private static final class TyrusDirect {

        private static final Field WEB_SOCKET = field("org.glassfish.tyrus.core.TyrusRemoteEndpoint", "webSocket");
        private static final Field PROTOCOL_HANDLER = field("org.glassfish.tyrus.core.TyrusWebSocket", "protocolHandler");
        private static final Field WRITER = field("org.glassfish.tyrus.core.ProtocolHandler", "writer");

        private final org.glassfish.tyrus.core.TyrusWebSocket socket;
        /** The session's ProtocolHandler, whose current writer takes raw frames; null if unreachable. */
        private final Object protocol;

        private TyrusDirect(org.glassfish.tyrus.core.TyrusWebSocket socket) {
            this.socket = socket;
            Object handler = null;
            if (PROTOCOL_HANDLER != null && WRITER != null) {
                try {
                    handler = PROTOCOL_HANDLER.get(socket);
                } catch (IllegalAccessException | RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "Tyrus protocol handler not reachable; sending text", e);
                }
            }
            this.protocol = handler;
        }

        boolean canWriteRaw() {
            return protocol != null;
        }

        /** Writes an already framed message; fails as a send to a closed session would. */
        void writeRaw(byte[] frame, Consumer<Throwable> done) {
            org.glassfish.tyrus.spi.Writer writer;
            try {
                writer = (org.glassfish.tyrus.spi.Writer) WRITER.get(protocol);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            if (writer == null || !socket.isConnected()) {
                throw new IllegalStateException("the session is not connected");
            }
            writer.write(ByteBuffer.wrap(frame), new org.glassfish.tyrus.spi.CompletionHandler<ByteBuffer>() {
                @Override
                public void completed(ByteBuffer result) {
                    done.accept(null);
                }

                @Override
                public void failed(Throwable failure) {
                    done.accept(failure);
                }

                @Override
                public void cancelled() {
                    done.accept(new CancellationException("write cancelled"));
                }
            });
        }

        static TyrusDirect of(Session session) {
            if (WEB_SOCKET == null) {
                return null;
            }
            try {
                Object remote = session.getAsyncRemote();
                if (WEB_SOCKET.getDeclaringClass().isInstance(remote)
                        && WEB_SOCKET.get(remote) instanceof org.glassfish.tyrus.core.TyrusWebSocket socket) {
                    return new TyrusDirect(socket);
                }
            } catch (IllegalAccessException | RuntimeException | LinkageError e) {
                LOG.log(System.Logger.Level.DEBUG, "Tyrus socket not reachable; using the async remote", e);
            }
            return null;
        }

        void sendText(String text, SendHandler handler) {
            socket.sendText(text, handler);
        }

        private static Field field(String className, String name) {
            try {
                Field field = Class.forName(className).getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    }
}
