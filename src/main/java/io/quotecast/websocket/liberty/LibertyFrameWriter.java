package io.quotecast.websocket.liberty;

import io.quotecast.websocket.ContainerFrameWriter;
import jakarta.websocket.Session;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One session's frames written through Open Liberty's connection link ({@code WsocConnLink}), below the
 * API: the link's write permit taken as Liberty's own sends take it ({@code okToWrite}), the bytes
 * written through the connection's TCP write context, asynchronously, and the permit given back
 * ({@code signalNotWriting}) once they are written or the write failed. So Liberty's own writes (a pong,
 * its close frame) and these never overlap, exactly as with the API's sends, and a gathered write is
 * one write, not one per frame.
 *
 * <p>The TCP write is Liberty's async one without its forced queueing: it writes on the calling thread
 * and returns the connection when the socket took everything, and only for a client that is not
 * reading hands the rest to Liberty's write selector, which calls back on completion or after the
 * timeout. So a write never holds the thread that started it: the sender's, which serves every session
 * ({@link #tryWrite}), or a flusher where a write of Liberty's own held the permit ({@link #write}). A
 * close that Liberty makes while one is in flight (it waits for the permit, some of its paths without a
 * bound) waits at most that timeout.
 *
 * <p>Found by reflection from the session's blocking remote, once per session; where any step is not
 * where this class expects it (another Liberty version), {@link #of} gives null and the session uses
 * the portable path, with a warning in the log.
 */
final class LibertyFrameWriter implements ContainerFrameWriter {

    private static final System.Logger LOG = System.getLogger(LibertyFrameWriter.class.getName());
    /** Liberty's {@code WsocConnLink.RETURN_STATUS} when the write may go ahead. */
    private static final String OK = "OK";
    /** ... when a write of Liberty's own is in progress. */
    private static final String WRITE_IN_PROGRESS = "WRITE_IN_PROGRESS";
    /** Liberty's {@code WsocConnLink.WRITE_LINK_STATUS} when no write is in progress. */
    private static final String OK_TO_WRITE = "OK_TO_WRITE";
    /** How long a write waits between two asks for the permit while a write of Liberty's own holds it. */
    private static final long PERMIT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** {@code TCPWriteRequestContext.WRITE_ALL_DATA}: the whole buffer, as Liberty's own sends ask. */
    private static final long WRITE_ALL_DATA = -1L;

    private final Object link;
    private final Object writeContext;
    private final Object buffers;
    private final Methods methods;
    private final int timeoutMillis;

    /** Liberty's {@code TCPWriteCompletedCallback} for this session's writes, for the part its selector finishes. */
    private final Object callback;
    /** The write in flight (one at a time: the sink starts the next from the end of the last); null: none. */
    private final AtomicReference<InFlight> inFlight = new AtomicReference<>();

    /** A write's buffer, released when it ends, and what to tell then. */
    private record InFlight(Object buffer, Consumer<Throwable> done) {
    }

    private LibertyFrameWriter(Object link, Object writeContext, Object buffers, Methods methods, int timeoutMillis) {
        this.link = link;
        this.writeContext = writeContext;
        this.buffers = buffers;
        this.methods = methods;
        this.timeoutMillis = timeoutMillis;
        this.callback = Proxy.newProxyInstance(methods.callbackType.getClassLoader(), new Class<?>[] {methods.callbackType},
                (proxy, method, args) -> switch (method.getName()) {
                    case "complete" -> {
                        end(null);
                        yield null;
                    }
                    case "error" -> {
                        end(args != null && args.length > 2 && args[2] instanceof Throwable t ? t : new IOException("the write failed"));
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "quotecast writes of " + link;
                    default -> null;
                });
    }

    /** The session's writer, or null where Liberty's internals are not where this class expects them. */
    static ContainerFrameWriter of(Session session, long timeoutMillis) {
        try {
            Object basic = session.getBasicRemote();
            Object impl = field(basic.getClass(), "impl").get(basic);
            Object link = field(impl.getClass(), "connLink").get(impl);
            Object connection = field(link.getClass(), "tcpConnection").get(link);
            Methods methods = Methods.of(link, connection);
            Object writeContext = methods.writeInterface.invoke(connection);
            Object buffers = methods.bufferManager.invoke(link);
            if (writeContext == null || buffers == null) {
                return null;
            }
            // Twice the send timeout: the sink closes a session whose write is stuck at the send timeout,
            // with this write still in flight, and Liberty's close then ends the connection. Were this
            // write to fail first, Liberty's close frame would wait for the client that reads nothing,
            // for the TCP channel's own timeout (a minute by default), and the client would stay open.
            return new LibertyFrameWriter(link, writeContext, buffers, methods, (int) Math.min(Integer.MAX_VALUE, 2 * timeoutMillis));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "Open Liberty's connection link is not reachable", e);
            return null;
        }
    }

    @Override
    public boolean tryWrite(byte[] wire, Consumer<Throwable> done) {
        try {
            // Liberty's okToWrite waits, even when asked not to, while a pong of its own is being written:
            // its state is read first (a hint: a pong that starts in between is waited for, as briefly as it takes).
            if (!OK_TO_WRITE.equals(String.valueOf(methods.writeLinkStatus.get(link))) || !takePermit()) {
                return false;
            }
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            done.accept(e);
            return true;
        }
        start(wire, done);
        return true;
    }

    @Override
    public void write(byte[] wire, Consumer<Throwable> done) {
        try {
            awaitPermit();
        } catch (IOException | RuntimeException e) {
            done.accept(e);
            return;
        }
        start(wire, done);
    }

    /** With the permit taken: the write, which gives it back when it ends. */
    private void start(byte[] wire, Consumer<Throwable> done) {
        Object buffer;
        try {
            buffer = call(methods.wrap, buffers, (Object) wire);
        } catch (IOException | RuntimeException e) {
            notWriting();
            done.accept(e);
            return;
        }
        inFlight.set(new InFlight(buffer, done));
        Object written;
        try {
            call(methods.setBuffer, writeContext, buffer);
            // Not forced to the queue: written here when the socket takes it (the connection returned),
            // else the callback comes from Liberty's write selector.
            written = call(methods.asyncWrite, writeContext, WRITE_ALL_DATA, callback, false, timeoutMillis);
        } catch (IOException | RuntimeException e) {
            end(e);
            return;
        }
        if (written != null) {
            end(null);
        }
    }

    /**
     * Asks for the link's write permit without waiting: true if taken, false while a write of Liberty's
     * own holds it. Never asked to wait: Liberty's {@code okToWrite} then waits for a notify with no bound
     * (on a link already closed, for one that comes only when the link is torn down).
     */
    private boolean takePermit() throws IOException {
        String answer = String.valueOf(call(methods.okToWrite, link, false, false, false));
        if (OK.equals(answer)) {
            return true;
        }
        if (WRITE_IN_PROGRESS.equals(answer)) {
            return false;
        }
        throw new IOException("the connection is closing (" + answer + ")");
    }

    /** Takes the permit, waiting out a write of Liberty's own in short sleeps, for at most the write timeout. */
    private void awaitPermit() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!takePermit()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("a write of the container's own took over " + timeoutMillis + " ms");
            }
            LockSupport.parkNanos(PERMIT_POLL_NANOS);
        }
    }

    /** The write in flight ends, once: the permit given back, the buffer released, then its {@code done}. */
    private void end(Throwable failure) {
        InFlight ended = inFlight.getAndSet(null);
        if (ended == null) {
            return;
        }
        notWriting();
        try {
            call(methods.release, ended.buffer());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "releasing Liberty's buffer failed", e);
        }
        ended.done().accept(failure);
    }

    private void notWriting() {
        try {
            call(methods.signalNotWriting, link);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "giving back Liberty's write permit failed", e);
        }
    }

    /** {@code method} on {@code target}, with what it throws as itself. */
    private static Object call(Method method, Object target, Object... args) throws IOException {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }

    /** The methods of Liberty's link, TCP write context and buffers that a write calls. */
    private record Methods(Field writeLinkStatus, Method okToWrite, Method signalNotWriting, Method bufferManager, Method writeInterface,
                           Method wrap, Method setBuffer, Method asyncWrite, Class<?> callbackType, Method release) {

        /** Looked up per session: a thousand lookups at connect cost less than state shared between deployments. */
        static Methods of(Object link, Object connection) throws ReflectiveOperationException {
            Class<?> linkClass = link.getClass();
            // Liberty's implementations are not public: their methods are called through the public interfaces.
            Method writeInterface = interfaceOf(connection.getClass(), "com.ibm.wsspi.tcpchannel.TCPConnectionContext")
                    .getMethod("getWriteInterface");
            Class<?> writeContext = writeInterface.getReturnType();
            Method bufferManager = linkClass.getMethod("getBufferManager");
            Method wrap = bufferManager.getReturnType().getMethod("wrap", byte[].class);
            Class<?> buffer = wrap.getReturnType();
            Class<?> callbackType = Class.forName("com.ibm.wsspi.tcpchannel.TCPWriteCompletedCallback", false,
                    writeContext.getClassLoader());
            return new Methods(
                    linkClass.getField("writeLinkStatus"),
                    linkClass.getMethod("okToWrite", boolean.class, boolean.class, boolean.class),
                    linkClass.getMethod("signalNotWriting"),
                    bufferManager,
                    writeInterface,
                    wrap,
                    writeContext.getMethod("setBuffer", buffer),
                    writeContext.getMethod("write", long.class, callbackType, boolean.class, int.class),
                    callbackType,
                    buffer.getMethod("release"));
        }

        private static Class<?> interfaceOf(Class<?> type, String name) throws ClassNotFoundException {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Class<?> implemented : c.getInterfaces()) {
                    if (implemented.getName().equals(name)) {
                        return implemented;
                    }
                    try {
                        return interfaceOf(implemented, name);
                    } catch (ClassNotFoundException e) {
                        // not under this one
                    }
                }
            }
            throw new ClassNotFoundException(name + " is not implemented by " + type.getName());
        }
    }
}
