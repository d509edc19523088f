package io.quotecast.websocket.liberty;

import io.quotecast.websocket.BlockingFrameWriter;
import jakarta.websocket.Session;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * One session's frames written through Open Liberty's connection link ({@code WsocConnLink}), below the
 * API: the link's write permit taken as Liberty's own blocking send takes it ({@code okToWrite}, waiting
 * for a write or a close in progress), the bytes written through the connection's TCP write context, the
 * permit given back ({@code signalNotWriting}). So Liberty's own writes (a pong, its close frame) and
 * these never overlap, exactly as with the API's blocking {@code sendText}, and a gathered write is one
 * write, not one per frame.
 *
 * <p>Found by reflection from the session's blocking remote, once per session; where any step is not
 * where this class expects it (another Liberty version), {@link #of} gives null and the session uses
 * the portable path, with a warning in the log.
 */
final class LibertyFrameWriter implements BlockingFrameWriter {

    private static final System.Logger LOG = System.getLogger(LibertyFrameWriter.class.getName());
    /** Liberty's {@code WsocConnLink.RETURN_STATUS} when the write may go ahead. */
    private static final String OK = "OK";
    /** ... when a write of Liberty's own is in progress. */
    private static final String WRITE_IN_PROGRESS = "WRITE_IN_PROGRESS";
    /** {@code TCPRequestContext.NO_TIMEOUT}: what Liberty's own blocking sends write with. */
    private static final int NO_TIMEOUT = -1;
    /** {@code TCPWriteRequestContext.WRITE_ALL_DATA}: the whole buffer, as Liberty's own blocking sends ask. */
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
    static BlockingFrameWriter of(Session session, long timeoutMillis) {
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
            return new LibertyFrameWriter(link, writeContext, buffers, methods, (int) Math.min(Integer.MAX_VALUE, timeoutMillis));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "Open Liberty's connection link is not reachable", e);
            return null;
        }
    }

    @Override
    public void write(byte[] wire) throws IOException {
        try {
            // Not waiting first: on a link already closed Liberty's okToWrite waits for a notify that may
            // come seconds later, holding the flusher; it answers at once without waiting. Only a write of
            // Liberty's own in progress (its close frame, a pong) is waited for, as its blocking send would.
            Object status = methods.okToWrite.invoke(link, false, false, false);
            if (WRITE_IN_PROGRESS.equals(String.valueOf(status))) {
                status = methods.okToWrite.invoke(link, true, false, false);
            }
            if (!OK.equals(String.valueOf(status))) {
                throw new IOException("the connection is closing (" + status + ")");
            }
            Object buffer = null;
            try {
                buffer = methods.wrap.invoke(buffers, (Object) wire);
                methods.setBuffer.invoke(writeContext, buffer);
                methods.write.invoke(writeContext, WRITE_ALL_DATA, NO_TIMEOUT);
            } finally {
                methods.signalNotWriting.invoke(link);
                if (buffer != null) {
                    methods.release.invoke(buffer);
                }
            }
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
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
    private record Methods(Method okToWrite, Method signalNotWriting, Method bufferManager, Method writeInterface,
                           Method wrap, Method setBuffer, Method write, Method release) {

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
            return new Methods(
                    linkClass.getMethod("okToWrite", boolean.class, boolean.class, boolean.class),
                    linkClass.getMethod("signalNotWriting"),
                    bufferManager,
                    writeInterface,
                    wrap,
                    writeContext.getMethod("setBuffer", buffer),
                    writeContext.getMethod("write", long.class, int.class),
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
