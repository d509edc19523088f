package io.quotecast.websocket.undertow;

import io.undertow.server.protocol.framed.AbstractFramedChannel;
import io.undertow.websockets.core.WebSocketChannel;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes to one connection below Undertow's frame queue: the bytes go to the connection's conduit
 * from the calling thread, under the framed channel's lock (the one {@code flushSenders}, Undertow's
 * only writer, takes), when Undertow has no frame of the connection new, held back or half written, so no frame of its own
 * can be cut by ours. Undertow's queues are private: they are read through method handles found
 * once ({@link #of} returns null where they cannot be, and the frame-channel path is used).
 */
final class DirectWriter {

    private static final System.Logger LOG = System.getLogger(DirectWriter.class.getName());

    private static final MethodHandle UNDERLYING_CONNECTION;
    private static final MethodHandle PENDING_FRAMES;
    private static final MethodHandle HELD_FRAMES;
    private static final MethodHandle NEW_FRAMES;
    private static final MethodHandle FLUSHING_SENDERS;

    static {
        MethodHandle connection = null;
        MethodHandle pending = null;
        MethodHandle held = null;
        MethodHandle fresh = null;
        MethodHandle flushing = null;
        try {
            MethodHandles.Lookup framed = MethodHandles.privateLookupIn(AbstractFramedChannel.class, MethodHandles.lookup());
            connection = framed.findVirtual(AbstractFramedChannel.class, "getUnderlyingConnection", MethodType.methodType(StreamConnection.class));
            pending = framed.findGetter(AbstractFramedChannel.class, "pendingFrames", List.class);
            held = framed.findGetter(AbstractFramedChannel.class, "heldFrames", Deque.class);
            fresh = framed.findGetter(AbstractFramedChannel.class, "newFrames", Deque.class);
            flushing = framed.findGetter(AbstractFramedChannel.class, "flushingSenders", boolean.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Undertow's frame queues not reachable; writing through frame channels", e);
            connection = null;
        }
        UNDERLYING_CONNECTION = connection;
        PENDING_FRAMES = pending;
        HELD_FRAMES = held;
        NEW_FRAMES = fresh;
        FLUSHING_SENDERS = flushing;
    }

    private final WebSocketChannel channel;
    private final StreamConnection connection;
    private final Collection<?> pendingFrames;
    private final Collection<?> heldFrames;
    private final Collection<?> newFrames;
    /** Ours on top of Undertow's conduits, once {@link #install} has put it there; guarded by the channel. */
    private PrefixConduit prefix;

    private DirectWriter(WebSocketChannel channel, StreamConnection connection, Collection<?> pendingFrames,
                         Collection<?> heldFrames, Collection<?> newFrames) {
        this.channel = channel;
        this.connection = connection;
        this.pendingFrames = pendingFrames;
        this.heldFrames = heldFrames;
        this.newFrames = newFrames;
    }

    /** The direct writer of {@code channel}, or null where Undertow's internals are not what this was built on. */
    static DirectWriter of(WebSocketChannel channel) {
        if (UNDERLYING_CONNECTION == null) {
            return null;
        }
        try {
            return new DirectWriter(channel, (StreamConnection) UNDERLYING_CONNECTION.invoke((AbstractFramedChannel<?, ?, ?>) channel),
                    (Collection<?>) PENDING_FRAMES.invoke((AbstractFramedChannel<?, ?, ?>) channel),
                    (Collection<?>) HELD_FRAMES.invoke((AbstractFramedChannel<?, ?, ?>) channel),
                    (Collection<?>) NEW_FRAMES.invoke((AbstractFramedChannel<?, ?, ?>) channel));
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.DEBUG, "Undertow's connection not reachable; writing through frame channels", e);
            return null;
        }
    }

    /**
     * On the connection's I/O thread, once: puts our conduit on top of Undertow's. Until then every
     * write takes the frame-channel path. (On that thread because the close task and the sink's
     * conduit are Undertow's I/O thread's to change.)
     */
    void install() {
        synchronized (channel) {
            if (prefix != null || !channel.isOpen()) {
                return;
            }
            ConduitStreamSinkChannel sink = connection.getSinkChannel();
            PrefixConduit installed = new PrefixConduit(sink.getConduit(), sink, channel);
            sink.setConduit(installed);
            channel.addCloseTask(closed -> installed.broken(new ClosedChannelException()));
            prefix = installed;
        }
    }

    /**
     * On any thread: writes {@code bytes} straight to the connection and returns true (the write
     * then reports through {@code done}), or returns false, having written nothing, where Undertow
     * has frames of this connection waiting or is flushing them. {@code borrowed}: {@code bytes} is
     * the thread's scratch buffer, whose unwritten part must be copied before this returns.
     */
    boolean write(ByteBuffer bytes, boolean borrowed, Consumer<Throwable> done) {
        Throwable failure;
        synchronized (channel) {
            if (channel.isCloseFrameSent() || channel.isCloseFrameReceived()) {
                failure = new ClosedChannelException();
            } else if (prefix == null || !undertowIdle()) {
                return false;
            } else {
                failure = prefix.writeFirst(bytes, borrowed, done);
                if (failure == null) {
                    return true;
                }
            }
        }
        // Closing, closed, or the socket failed at once: as Undertow's own send would.
        done.accept(failure);
        return true;
    }

    private boolean undertowIdle() {
        try {
            return !(boolean) FLUSHING_SENDERS.invoke((AbstractFramedChannel<?, ?, ?>) channel)
                    && pendingFrames.isEmpty() && heldFrames.isEmpty() && newFrames.isEmpty();
        } catch (Throwable e) {
            return false;
        }
    }
}
