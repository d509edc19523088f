package io.quotecast.server.tyrus;

import io.quotecast.stream.Frame;
import io.quotecast.stream.FrameSink;
import io.quotecast.websocket.SessionSink;
import io.quotecast.websocket.SessionSinks;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;

import java.lang.reflect.Field;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The standalone server's {@link FrameSink} (write path {@code tyrus-grizzly}): the Tyrus it ships
 * (2.1.5), on Grizzly, reached below its public API. Not the WAR's Tyrus path on GlassFish, which only
 * has tyrus-spi's writer ({@code websocket.tyrus.TyrusWriterSink}).
 *
 * <p>Tyrus's {@code RemoteEndpoint.Async.sendText} reschedules the session's idle-timeout task on
 * every send (a cancel, a schedule and a thread hand-off per frame, even with no idle timeout set),
 * which cost the fan-out more than the send itself; so text goes straight to the session's
 * {@code TyrusWebSocket}. A fan-out {@link Frame} goes further down, to the connection's writer,
 * already framed ({@link Frame#wire()}: built once per tick, not once per client, as Tyrus's own
 * broadcast does), and frames that piled up for a client go out in one write. Where the writer is
 * Tyrus's Grizzly one, the bytes go to the Grizzly connection's async write queue itself: Tyrus's
 * task queue and Grizzly's filter chain in between only pass them on for an upgraded connection,
 * and passing them on is work per write that a busy fan-out feels (docs/benchmarks.md).
 *
 * <p>Only the standalone server uses this, with the Tyrus version the build pins; the WAR never
 * does, since an application server's WebSocket implementation is not ours to reach into. If a
 * Tyrus upgrade moves these internals, {@link #available()} turns false (a test guards it) and the
 * portable path is used, with a warning ({@link SessionSinks#accelerated}).
 */
public final class GrizzlyDirectSink extends SessionSink {

    private static final System.Logger LOG = System.getLogger(GrizzlyDirectSink.class.getName());

    /** The path's name in the start-up log and {@code /metrics}. */
    public static final String NAME = "tyrus-grizzly";

    /** Makes a Tyrus sink for each session where the internals are reachable, else (with a warning) the portable one. */
    public static SessionSinks sinks(long sendTimeoutMillis, Executor pings) {
        return SessionSinks.accelerated(NAME, session -> {
            TyrusDirect direct = TyrusDirect.of(session);
            return direct == null ? null : new GrizzlyDirectSink(session, direct);
        }, sendTimeoutMillis, pings);
    }

    private final TyrusDirect direct;

    private GrizzlyDirectSink(Session session, TyrusDirect direct) {
        super(session);
        this.direct = direct;
    }

    /** Whether this Tyrus's internals are where this class expects them. */
    static boolean available() {
        return TyrusDirect.WEB_SOCKET != null && TyrusDirect.PROTOCOL_HANDLER != null && TyrusDirect.WRITER != null
                && TyrusDirect.GRIZZLY_CONNECTION != null;
    }

    @Override
    public String writePath() {
        return NAME;
    }

    @Override
    public void send(String text, Consumer<Throwable> done) {
        direct.sendText(text, result -> done.accept(result.isOK() ? null : result.getException()));
    }

    @Override
    public void send(Frame frame, Consumer<Throwable> done) {
        if (direct.canWriteRaw()) {
            direct.writeRaw(frame.wire(), done);
        } else {
            send(frame.text(), done);
        }
    }

    @Override
    public boolean gathers() {
        return direct.canWriteRaw();
    }

    @Override
    public void send(Frame[] frames, int count, Consumer<Throwable> done) {
        direct.writeRaw(Frame.joinWire(frames, count), done);
    }

    /** The Tyrus socket under a session's remote, found once per session by reflection. */
    private static final class TyrusDirect {

        private static final Field WEB_SOCKET = field("org.glassfish.tyrus.core.TyrusRemoteEndpoint", "webSocket");
        private static final Field PROTOCOL_HANDLER = field("org.glassfish.tyrus.core.TyrusWebSocket", "protocolHandler");
        private static final Field WRITER = field("org.glassfish.tyrus.core.ProtocolHandler", "writer");
        private static final Field GRIZZLY_CONNECTION =
                field("org.glassfish.tyrus.container.grizzly.client.GrizzlyWriter", "connection");

        private final org.glassfish.tyrus.core.TyrusWebSocket socket;
        /** The Grizzly connection under the session's writer (set by the upgrade, before onOpen); null if unreachable. */
        private final GrizzlyQueue grizzly;

        private TyrusDirect(org.glassfish.tyrus.core.TyrusWebSocket socket) {
            this.socket = socket;
            GrizzlyQueue queue = null;
            if (PROTOCOL_HANDLER != null && WRITER != null && GRIZZLY_CONNECTION != null) {
                try {
                    Object writer = WRITER.get(PROTOCOL_HANDLER.get(socket));
                    if (GRIZZLY_CONNECTION.getDeclaringClass().isInstance(writer)) {
                        queue = new GrizzlyQueue((org.glassfish.grizzly.Connection<?>) GRIZZLY_CONNECTION.get(writer));
                    }
                } catch (IllegalAccessException | RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "Grizzly connection not reachable; sending text", e);
                }
            }
            this.grizzly = queue;
        }

        boolean canWriteRaw() {
            return grizzly != null;
        }

        /** Writes an already framed message; fails as a send to a closed session would. */
        void writeRaw(byte[] frame, Consumer<Throwable> done) {
            if (!socket.isConnected()) {
                throw new IllegalStateException("the session is not connected");
            }
            grizzly.write(frame, done);
        }

        /** A Grizzly connection and its transport's async write queue, which orders concurrent writes. */
        private record GrizzlyQueue(org.glassfish.grizzly.Connection<?> connection,
                                    org.glassfish.grizzly.asyncqueue.AsyncQueueWriter<java.net.SocketAddress> writer) {

            GrizzlyQueue(org.glassfish.grizzly.Connection<?> connection) {
                this(connection, ((org.glassfish.grizzly.nio.NIOTransport) connection.getTransport())
                        .getAsyncQueueIO().getWriter());
            }

            @SuppressWarnings({"unchecked", "rawtypes"})
            void write(byte[] frame, Consumer<Throwable> done) {
                if (!connection.isOpen()) {
                    throw new IllegalStateException("the connection is closed");
                }
                org.glassfish.grizzly.Buffer buffer = org.glassfish.grizzly.memory.Buffers.wrap(connection.getMemoryManager(), frame);
                writer.write((org.glassfish.grizzly.Connection) connection, buffer, new org.glassfish.grizzly.EmptyCompletionHandler() {
                    @Override
                    public void completed(Object result) {
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
