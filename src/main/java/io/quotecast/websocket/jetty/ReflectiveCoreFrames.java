package io.quotecast.websocket.jetty;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * {@link CoreFrames} over Jetty's public core API, reached reflectively: Jetty hides its own classes
 * from a web application's class loader, so the WAR names none of them. The session Jetty hands the
 * endpoint has a public {@code getCoreSession()}; from its class loader come the core's {@code Frame}
 * and {@code Callback}, and the method handles are looked up once per deployment ({@link #lookUp}).
 *
 * <p>What it uses, all public in Jetty 12: {@code CoreSession.sendFrame(Frame, Callback, boolean)},
 * the constructor {@code Frame(byte, boolean, ByteBuffer)}, {@code Callback.from(Runnable, Consumer)}
 * and {@code Callback.NOOP}.
 */
final class ReflectiveCoreFrames implements CoreFrames {

    private static final byte TEXT = 0x1;
    private static final byte PING = 0x9;
    private static final String FRAME = "org.eclipse.jetty.websocket.core.Frame";
    private static final String CALLBACK = "org.eclipse.jetty.util.Callback";

    /** The handles, for every session of one session class. */
    record Handles(Class<?> sessionType, MethodHandle coreSession, MethodHandle sendFrame, MethodHandle frame,
                   MethodHandle callback, Object noop) {

        CoreFrames framesOf(Object session) throws Throwable {
            return new ReflectiveCoreFrames(this, coreSession.invoke(session));
        }
    }

    private final Handles handles;
    private final Object coreSession;

    private ReflectiveCoreFrames(Handles handles, Object coreSession) {
        this.handles = handles;
        this.coreSession = coreSession;
    }

    /** The handles for sessions of {@code sessionType}, a Jetty session class with {@code getCoreSession()}. */
    static Handles lookUp(Class<?> sessionType) throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Method getCoreSession = sessionType.getMethod("getCoreSession");
        Class<?> coreType = getCoreSession.getReturnType();
        ClassLoader jetty = coreType.getClassLoader();
        Class<?> frameType = Class.forName(FRAME, false, jetty);
        Class<?> callbackType = Class.forName(CALLBACK, false, jetty);
        MethodHandle coreSession = lookup.unreflect(getCoreSession)
                .asType(MethodType.methodType(Object.class, Object.class));
        MethodHandle sendFrame = lookup.findVirtual(coreType, "sendFrame",
                        MethodType.methodType(void.class, frameType, callbackType, boolean.class))
                .asType(MethodType.methodType(void.class, Object.class, Object.class, Object.class, boolean.class));
        MethodHandle frame = lookup.findConstructor(frameType,
                        MethodType.methodType(void.class, byte.class, boolean.class, ByteBuffer.class))
                .asType(MethodType.methodType(Object.class, byte.class, boolean.class, ByteBuffer.class));
        MethodHandle callback = lookup.findStatic(callbackType, "from",
                        MethodType.methodType(callbackType, Runnable.class, Consumer.class))
                .asType(MethodType.methodType(Object.class, Runnable.class, Consumer.class));
        Object noop = callbackType.getField("NOOP").get(null);
        return new Handles(sessionType, coreSession, sendFrame, frame, callback, noop);
    }

    @Override
    public void sendText(ByteBuffer payload, boolean batch, Consumer<Throwable> done) {
        Object callback = handles.noop;
        try {
            if (done != null) {
                callback = (Object) handles.callback.invokeExact((Runnable) () -> done.accept(null), done);
            }
            Object frame = (Object) handles.frame.invokeExact(TEXT, true, payload);
            handles.sendFrame.invokeExact(coreSession, frame, callback, batch);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            // Jetty reports its own failures to the callback; this is a failure to reach it at all
            if (done != null) {
                done.accept(e);
            }
        }
    }

    @Override
    public void sendPing(ByteBuffer payload) {
        try {
            Object frame = (Object) handles.frame.invokeExact(PING, true, payload);
            handles.sendFrame.invokeExact(coreSession, frame, handles.noop, false);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            // a connection that cannot take a ping will not answer it either: the pong timeout closes it
        }
    }
}
