package io.quotecast.websocket.tyrus;

import io.quotecast.websocket.FramedWriteSink;
import jakarta.websocket.Session;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Writer;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * The {@link io.quotecast.stream.FrameSink} of a session on a Tyrus container (GlassFish, Payara):
 * fan-out frames go to the session's Tyrus {@link Writer} (tyrus-spi, the interface every Tyrus
 * container implements) already framed, and frames that waited together go out in one write.
 *
 * <p>Why not the Jakarta API: Tyrus implements neither {@code setBatchingAllowed} nor
 * {@code flushBatch} (both do nothing), so every quote would be a write and a flush of its own; and
 * every {@code sendText} reschedules the session's idle-timeout task, which on GlassFish 7 goes
 * through its managed scheduled executor and captures thread context, a service lookup, per send:
 * under a fan-out most of the server's CPU goes to the rescheduling, and most quotes never leave
 * (docs/benchmarks.md).
 *
 * <p>Replies and anything Tyrus sends itself (pings, close) share the same writer, which keeps
 * them in order. Where the writer is not reachable (another Tyrus layout), {@link #of} returns
 * null and the portable sink is used, with a warning
 * ({@link io.quotecast.websocket.SessionSinks#accelerated}).
 */
final class TyrusWriterSink extends FramedWriteSink {
    private static final System.Logger LOG = System.getLogger(TyrusWriterSink.class.getName());

    private final Writer writer;

    private TyrusWriterSink(Session session, Writer writer) {
        super(session);
        this.writer = writer;
    }

    /** A sink on the session's Tyrus writer, or null where that is not reachable. */
    static TyrusWriterSink of(Session session) {
        try {
            Object remote = session.getAsyncRemote();
            Object webSocket = read(remote, "webSocket");
            Object protocolHandler = read(webSocket, "protocolHandler");
            if (read(protocolHandler, "writer") instanceof Writer writer) {
                return new TyrusWriterSink(session, writer);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Tyrus writer not reachable; sending through the Jakarta API", e);
        }
        return null;
    }

    @Override
    public String writePath() {
        return TyrusWritePath.NAME;
    }

    @Override
    protected void writeFramed(byte[] wire, Consumer<Throwable> done) {
        writer.write(ByteBuffer.wrap(wire), new CompletionHandler<>() {
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

    /** The value of the field {@code name} declared by the object's class or one of its superclasses. */
    private static Object read(Object target, String name) throws ReflectiveOperationException {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(target);
            } catch (NoSuchFieldException e) {
                // declared higher up
            }
        }
        throw new NoSuchFieldException(target.getClass().getName() + "." + name);
    }
}
