package io.quotecast.websocket.liberty;

import io.quotecast.websocket.ContainerFrameWriter;
import jakarta.websocket.Session;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

    private LibertyFrameWriter(Object link, Object writeContext, Object buffers, Methods methods, int timeoutMillis) {
        this.link = link;
        this.writeContext = writeContext;
        this.buffers = buffers;
        this.methods = methods;
        this.timeoutMillis = timeoutMillis;
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
        // Liberty's okToWrite waits, even when asked not to, while a pong of its own is being written:
        // its state is read first (a hint: a pong that starts in between is waited for, as briefly as it takes).
        Object state;
        Object status;
        try {
            state = methods.writeLinkStatus.get(link);
            if (!OK_TO_WRITE.equals(String.valueOf(state))) {
                return false;
            }
            status = methods.okToWrite.invoke(link, false, false, false);
        } catch (ReflectiveOperationException | RuntimeException e) {
            done.accept(cause(e));
            return true;
        }
        String answer = String.valueOf(status);
        if (WRITE_IN_PROGRESS.equals(answer)) {
            return false;
        }
        if (OK.equals(answer)) {
            start(wire, done);
        } else {
            done.accept(new IOException("the connection is closing (" + answer + ")"));
        }
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
            buffer = methods.wrap.invoke(buffers, (Object) wire);
        } catch (ReflectiveOperationException | RuntimeException e) {
            notWriting();
            done.accept(cause(e));
            return;
        }
        Completion completion = new Completion(buffer, done);
        Object written;
        try {
            methods.setBuffer.invoke(writeContext, buffer);
            // Not forced to the queue: written here when the socket takes it (the connection returned),
            // else the callback comes from Liberty's write selector.
            written = methods.asyncWrite.invoke(writeContext, WRITE_ALL_DATA, completion.callback, false, timeoutMillis);
        } catch (ReflectiveOperationException | RuntimeException e) {
            completion.end(cause(e));
            return;
        }
        if (written != null) {
            completion.end(null);
        }
    }

    /**
     * Takes the link's write permit without waiting inside Liberty: its {@code okToWrite}, asked to wait,
     * waits for a notify with no bound (on a link already closed, for one that comes only when the link
     * is torn down). A write of Liberty's own in progress is waited out here, in short sleeps, for at
     * most the write timeout.
     */
    private void awaitPermit() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            Object status;
            try {
                status = methods.okToWrite.invoke(link, false, false, false);
            } catch (ReflectiveOperationException e) {
                throw asIo(cause(e));
            }
            String answer = String.valueOf(status);
            if (OK.equals(answer)) {
                return;
            }
            if (!WRITE_IN_PROGRESS.equals(answer)) {
                throw new IOException("the connection is closing (" + answer + ")");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("a write of the container's own took over " + timeoutMillis + " ms");
            }
            LockSupport.parkNanos(PERMIT_POLL_NANOS);
        }
    }

    private void notWriting() {
        try {
            methods.signalNotWriting.invoke(link);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "giving back Liberty's write permit failed", e);
        }
    }

    /** One write's end, exactly once: the permit given back, the buffer released, then {@code done}. */
    private final class Completion {

        private final Object buffer;
        private final Consumer<Throwable> done;
        /** Liberty's {@code TCPWriteCompletedCallback}, for the part of a write its selector finishes. */
        final Object callback;
        private final AtomicBoolean ended = new AtomicBoolean();

        Completion(Object buffer, Consumer<Throwable> done) {
            this.buffer = buffer;
            this.done = done;
            this.callback = Proxy.newProxyInstance(methods.callbackType.getClassLoader(), new Class<?>[] {methods.callbackType},
                    (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "complete" -> end(null);
                            case "error" -> end(args != null && args.length > 2 && args[2] instanceof Throwable t
                                    ? t : new IOException("the write failed"));
                            case "hashCode" -> {
                                return System.identityHashCode(proxy);
                            }
                            case "equals" -> {
                                return proxy == args[0];
                            }
                            case "toString" -> {
                                return "quotecast write of " + done;
                            }
                            default -> {
                            }
                        }
                        return null;
                    });
        }

        void end(Throwable failure) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            notWriting();
            try {
                methods.release.invoke(buffer);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "releasing Liberty's buffer failed", e);
            }
            done.accept(failure);
        }
    }

    private static Throwable cause(Exception e) {
        return e instanceof InvocationTargetException invoked && invoked.getCause() != null ? invoked.getCause() : e;
    }

    private static IOException asIo(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException runtime) {
            throw runtime;
        }
        return new IOException(t);
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
