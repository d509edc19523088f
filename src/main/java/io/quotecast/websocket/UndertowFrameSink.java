package io.quotecast.websocket;

import io.quotecast.stream.Frame;
import io.undertow.conduits.IdleTimeoutConduit;
import io.undertow.conduits.WriteTimeoutStreamSinkConduit;
import io.undertow.server.protocol.framed.AbstractFramedChannel;
import io.undertow.util.ImmediatePooledByteBuffer;
import io.undertow.websockets.core.StreamSinkFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSocketFrameType;
import jakarta.websocket.Session;
import org.xnio.StreamConnection;
import org.xnio.conduits.AbstractConduit;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.Conduit;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.StreamSinkConduit;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The {@link io.quotecast.stream.FrameSink} of a session on Undertow (WildFly): fan-out frames go to
 * the session's connection already framed, and frames that waited together go out as one write,
 * started on the thread that drains the client (the feed's, at its batch end) and never waiting.
 *
 * <p>Why not the Jakarta API: Undertow's {@code setBatchingAllowed} and {@code flushBatch} do
 * nothing, so every quote would be a message of its own (a frame channel, a UTF-8 encoding, a task
 * on the I/O thread, a completion back from it). Measured at load A on WildFly 38 (docs/benchmarks.md),
 * that cost as much CPU per quote as the textbook WAR pays.
 *
 * <p>Why not one of Undertow's frame channels per write either (what this sink did first, and still
 * does when Undertow has frames of its own waiting): a flight recording put most of the I/O threads'
 * own time in that machinery (the channel and its state, the connection's frame queues and their
 * locks, the priority insert, the flush bookkeeping), once per write. So where Undertow has nothing
 * queued, held or half written on the connection, the bytes are written straight to the connection
 * ({@link Direct}), under the lock Undertow's own flush takes, on whichever thread drains the client:
 * a hand-off to the connection's I/O thread would cost a wake-up of that thread per batch end, which
 * measured as much as a sixth of the server's CPU at load A (docs/benchmarks.md). Whatever the socket
 * does not take stays at the head of the connection's outgoing bytes, in a conduit of ours on top of
 * Undertow's ({@link Prefix}): every byte Undertow writes after that goes behind it, so its pings,
 * pongs and close frame stay whole and in order with ours, and the write is done once its last byte is
 * on the socket.
 *
 * <p>When Undertow has frames waiting, the batch is a frame channel with no header of its own
 * ({@link Batch}): Undertow queues it behind the frames already queued and writes it with them. Where
 * the channel has negotiated extensions (whose frames ours would bypass), or where the channel cannot
 * be reached, {@link #of} returns null and the portable {@link SessionSink} is used.
 */
final class UndertowFrameSink extends FramedWriteSink {

    static final String NAME = "undertow";

    private static final System.Logger LOG = System.getLogger(UndertowFrameSink.class.getName());

    private final WebSocketChannel channel;
    /** Writes straight to the connection; null where Undertow's internals could not be reached. */
    private final Direct direct;
    /** The scratch buffer of the thread that wrote last; any thread may replace it with its own. */
    private Scratch lastScratch;

    private UndertowFrameSink(Session session, WebSocketChannel channel) {
        super(session);
        this.channel = channel;
        this.direct = Direct.of(channel);
        if (direct != null) {
            channel.getIoThread().execute(direct::install);
        }
    }

    @Override
    public String writePath() {
        return NAME;
    }

    /** Both ways of writing start on any thread and return at once, written or not. */
    @Override
    public boolean startsWritesAnywhere() {
        return true;
    }

    /** A sink on the session's Undertow channel, or null where that is not reachable. */
    static UndertowFrameSink of(Session session) {
        try {
            // UndertowSession#getWebSocketChannel, public; read reflectively so that only Undertow's
            // core module is needed, not its Jakarta WebSocket implementation.
            Object channel = session.getClass().getMethod("getWebSocketChannel").invoke(session);
            if (channel instanceof WebSocketChannel webSocket && !webSocket.areExtensionsSupported() && !webSocket.isClient()) {
                return new UndertowFrameSink(session, webSocket);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Undertow channel not reachable; sending through the Jakarta API", e);
        }
        return null;
    }

    @Override
    void writeFramed(byte[] wire, Consumer<Throwable> done) {
        write(null, 0, wire, done);
    }

    @Override
    void writeFrames(Frame[] frames, int count, Consumer<Throwable> done) {
        write(frames, count, null, done);
    }

    /**
     * One write, of the wire bytes of one frame or of the frames of a gathered write: straight to the
     * connection where Undertow has nothing waiting, copied into the calling thread's direct scratch
     * buffer (no array per write, and none of the JDK's copies into a temporary direct buffer either);
     * else through Undertow's frame queue.
     */
    private void write(Frame[] frames, int count, byte[] wire, Consumer<Throwable> done) {
        if (direct != null) {
            int length = wire != null ? wire.length : length(frames, count);
            ByteBuffer bytes;
            boolean borrowed = length <= SCRATCH_BYTES;
            if (borrowed) {
                ByteBuffer scratch = scratch().clear();
                if (wire != null) {
                    scratch.put(wire);
                } else {
                    for (int i = 0; i < count; i++) {
                        scratch.put(frames[i].wire());
                    }
                }
                bytes = scratch.flip();
            } else {
                // Joined once: the frame-channel path below takes the same array if this is refused.
                wire = wire != null ? wire : Frame.joinWire(frames, count);
                bytes = ByteBuffer.wrap(wire);
            }
            if (direct.write(bytes, borrowed, done)) {
                return;
            }
        }
        new Batch(channel, wire != null ? wire : Frame.joinWire(frames, count), done).queue();
    }

    private static int length(Frame[] frames, int count) {
        int length = 0;
        for (int i = 0; i < count; i++) {
            length += frames[i].wire().length;
        }
        return length;
    }

    /**
     * The calling thread's scratch buffer. The thread that wrote to this connection last (the feed,
     * nearly always) finds it without a {@link ThreadLocal} lookup, which the profile showed missing
     * its first slot on WildFly's threads (their maps are crowded) at 4 % of the feed thread's time.
     */
    private ByteBuffer scratch() {
        Thread current = Thread.currentThread();
        Scratch last = lastScratch;
        if (last == null || last.owner != current) {
            last = SCRATCH.get();
            lastScratch = last;
        }
        return last.buffer;
    }

    /** A thread's scratch buffer, with the thread: immutable, so that any thread may read it from a sink. */
    private record Scratch(Thread owner, ByteBuffer buffer) {
    }

    /**
     * Room for a gathered write (at most about 32 KiB of frames, SendLoop's limit) and a frame past
     * it; a larger write (a long history reply) is wrapped as it is.
     */
    private static final int SCRATCH_BYTES = 64 * 1024;

    /**
     * Per thread that writes (the feed, the hub's sender and timer threads, Undertow's I/O threads):
     * a direct buffer that one write at a time borrows, for the length of its call.
     */
    private static final ThreadLocal<Scratch> SCRATCH =
            ThreadLocal.withInitial(() -> new Scratch(Thread.currentThread(), ByteBuffer.allocateDirect(SCRATCH_BYTES)));

    /**
     * Writes to one connection below Undertow's frame queue: the bytes go to the connection's conduit
     * from the calling thread, under the framed channel's lock (the one {@code flushSenders}, Undertow's
     * only writer, takes), when Undertow has no frame of the connection new, held back or half written, so no frame of its own
     * can be cut by ours. Undertow's queues are private: they are read through method handles found
     * once ({@link #of} returns null where they cannot be, and the frame-channel path is used).
     */
    private static final class Direct {

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
                pending = framed.findGetter(AbstractFramedChannel.class, "pendingFrames", java.util.List.class);
                held = framed.findGetter(AbstractFramedChannel.class, "heldFrames", java.util.Deque.class);
                fresh = framed.findGetter(AbstractFramedChannel.class, "newFrames", java.util.Deque.class);
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
        private Prefix prefix;

        private Direct(WebSocketChannel channel, StreamConnection connection, Collection<?> pendingFrames,
                       Collection<?> heldFrames, Collection<?> newFrames) {
            this.channel = channel;
            this.connection = connection;
            this.pendingFrames = pendingFrames;
            this.heldFrames = heldFrames;
            this.newFrames = newFrames;
        }

        /** The direct writer of {@code channel}, or null where Undertow's internals are not what this was built on. */
        static Direct of(WebSocketChannel channel) {
            if (UNDERLYING_CONNECTION == null) {
                return null;
            }
            try {
                return new Direct(channel, (StreamConnection) UNDERLYING_CONNECTION.invoke((AbstractFramedChannel<?, ?, ?>) channel),
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
                Prefix installed = new Prefix(sink.getConduit(), sink, channel);
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

    /**
     * Our conduit on top of Undertow's: it holds what the socket did not take of a direct write, and
     * writes it ahead of anything Undertow writes after it; Undertow is told the socket is full until
     * then. Its flush (which Undertow's write listener calls once the socket is writable again, with
     * nothing of its own to write) finishes the write and reports it done. Used under the channel's
     * lock: Undertow writes only in its {@code flushSenders}, which holds it, and so do our writes.
     */
    private static final class Prefix extends AbstractStreamSinkConduit<StreamSinkConduit> {

        private final ConduitStreamSinkChannel sink;
        private final Object lock;
        /** Where our own bytes go: {@link Socket#below}. */
        private final StreamSinkConduit socket;
        /** Undertow's idle-timeout conduit above {@link #socket}, or null. */
        private final IdleTimeoutConduit idle;
        private ByteBuffer remainder;
        private Consumer<Throwable> done;

        Prefix(StreamSinkConduit next, ConduitStreamSinkChannel sink, Object lock) {
            super(next);
            this.sink = sink;
            this.lock = lock;
            Socket below = Socket.below(next);
            this.socket = below.conduit();
            this.idle = below.idle();
        }

        /**
         * Writes {@code bytes} before anything else goes to the socket; {@code done} once they are all
         * on it. {@code borrowed}: {@code bytes} is only lent for this call. Returns the failure if the connection failed at once ({@code done} is then not called).
         */
        IOException writeFirst(ByteBuffer bytes, boolean borrowed, Consumer<Throwable> done) {
            if (remainder != null) {
                // One write in flight per client: a second here is a broken caller, not a slow socket.
                throw new IllegalStateException("a direct write is still in flight");
            }
            remainder = bytes;
            this.done = done;
            try {
                if (!finish()) {
                    if (borrowed) {
                        // The socket is full (a slow reader): what it did not take is kept apart from the scratch buffer.
                        remainder = ByteBuffer.allocate(bytes.remaining()).put(bytes).flip();
                    }
                    // Undertow's write listener runs its flush, and so ours, once the socket takes more.
                    sink.resumeWrites();
                }
                return null;
            } catch (IOException e) {
                remainder = null;
                this.done = null;
                return e;
            }
        }

        /** Writes what is left of ours; true once it is all written and flushed, and reported. */
        private boolean finish() throws IOException {
            ByteBuffer left = remainder;
            if (left == null) {
                return true;
            }
            // Past an idle-timeout conduit only while it has no timeout to keep alive.
            StreamSinkConduit to = idle != null && idle.getIdleTimeout() > 0 ? next : socket;
            while (left.hasRemaining()) {
                if (to.write(left) <= 0) {
                    return false;
                }
            }
            if (!to.flush()) {
                return false;
            }
            Consumer<Throwable> finished = done;
            remainder = null;
            done = null;
            finished.accept(null);
            return true;
        }

        /** The connection is gone: a write still in flight has failed. */
        void broken(Throwable failure) {
            Consumer<Throwable> failed;
            synchronized (lock) {
                failed = done;
                remainder = null;
                done = null;
            }
            if (failed != null) {
                failed.accept(failure);
            }
        }

        private boolean ahead() throws IOException {
            try {
                return finish();
            } catch (IOException e) {
                broken(e);
                throw e;
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return ahead() ? next.write(src) : 0;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return ahead() ? next.write(srcs, offset, length) : 0;
        }

        @Override
        public int writeFinal(ByteBuffer src) throws IOException {
            return ahead() ? next.writeFinal(src) : 0;
        }

        @Override
        public long writeFinal(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return ahead() ? next.writeFinal(srcs, offset, length) : 0;
        }

        @Override
        public long transferFrom(java.nio.channels.FileChannel src, long position, long count) throws IOException {
            return ahead() ? next.transferFrom(src, position, count) : 0;
        }

        @Override
        public long transferFrom(org.xnio.channels.StreamSourceChannel source, long count, ByteBuffer throughBuffer) throws IOException {
            if (!ahead()) {
                throughBuffer.limit(0);
                return 0;
            }
            return next.transferFrom(source, count, throughBuffer);
        }

        @Override
        public boolean flush() throws IOException {
            return ahead() && next.flush();
        }

        @Override
        public void truncateWrites() throws IOException {
            broken(new ClosedChannelException());
            next.truncateWrites();
        }
    }

    /**
     * The conduit our own bytes are written to: below Undertow's write-timeout conduit, where the chain
     * is the one this was built on (idle timeout, write timeout, socket), else the top of the chain.
     *
     * <p>Why below it: for each write, the write-timeout conduit looks its timeout up in two option
     * maps and re-arms its deadline, 6 % of the feed thread's time at load A on WildFly 38
     * (docs/benchmarks.md); and its deadline is cleared only when Undertow suspends writes after a
     * flush of its own, which our writes never do: a client our writes had reached and that then got
     * nothing for longer than the timeout (90 s by default, longer than the default ping interval;
     * an operator may set it shorter) was closed right after its next write (WildFlyWriteTimeoutIT). A write the
     * socket does not take whole still arms that timeout: it resumes writes on the sink channel,
     * through the whole chain. The idle-timeout conduit is passed only while it has no timeout, since
     * a write through it is what keeps a connection with one from timing out.
     */
    private record Socket(StreamSinkConduit conduit, IdleTimeoutConduit idle) {

        private static final MethodHandle IDLE_SINK;
        private static final MethodHandle NEXT;

        static {
            MethodHandle idleSink = null;
            MethodHandle next = null;
            try {
                idleSink = MethodHandles.privateLookupIn(IdleTimeoutConduit.class, MethodHandles.lookup())
                        .findGetter(IdleTimeoutConduit.class, "sink", StreamSinkConduit.class);
                next = MethodHandles.privateLookupIn(AbstractConduit.class, MethodHandles.lookup())
                        .findGetter(AbstractConduit.class, "next", Conduit.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "Undertow's timeout conduits not reachable; writing through them", e);
                idleSink = null;
            }
            IDLE_SINK = idleSink;
            NEXT = next;
        }

        static Socket below(StreamSinkConduit top) {
            if (IDLE_SINK == null) {
                return new Socket(top, null);
            }
            try {
                IdleTimeoutConduit idle = null;
                StreamSinkConduit conduit = top;
                if (conduit instanceof IdleTimeoutConduit idleTimeout) {
                    idle = idleTimeout;
                    conduit = (StreamSinkConduit) IDLE_SINK.invoke(idleTimeout);
                }
                if (conduit instanceof WriteTimeoutStreamSinkConduit writeTimeout) {
                    return new Socket((StreamSinkConduit) NEXT.invoke((AbstractConduit<?>) writeTimeout), idle);
                }
            } catch (Throwable e) {
                LOG.log(System.Logger.Level.DEBUG, "Undertow's timeout conduits not reachable; writing through them", e);
            }
            return new Socket(top, null);
        }
    }

    /**
     * Frames already encoded, as one of Undertow's frame channels. Its header is empty (the frames carry
     * their own), so Undertow writes the bytes as they are; it is a TEXT channel so that Undertow orders
     * it like a message (behind the messages queued before it, pings and pongs allowed ahead), and it
     * is never in Undertow's strict order queue, which only messages started with
     * {@link WebSocketChannel#send} join: the one write in flight per client keeps ours in order.
     */
    private static final class Batch extends StreamSinkFrameChannel {

        private final byte[] wire;
        private final Consumer<Throwable> done;
        private final AtomicBoolean reported = new AtomicBoolean();

        Batch(WebSocketChannel channel, byte[] wire, Consumer<Throwable> done) {
            super(channel, WebSocketFrameType.TEXT);
            this.wire = wire;
            this.done = done;
        }

        /**
         * Queues the batch on its connection, behind what is queued there: on the I/O thread, which
         * then writes it at once. After a close frame, sent or received, it fails as Undertow's own
         * {@code send} would.
         */
        void queue() {
            WebSocketChannel channel = getWebSocketChannel();
            try {
                if (channel.isCloseFrameSent() || channel.isCloseFrameReceived()) {
                    throw new ClosedChannelException();
                }
                if (!send(new ImmediatePooledByteBuffer(ByteBuffer.wrap(wire)))) {
                    throw new IOException("a new frame channel refused its body");
                }
                shutdownWrites();
            } catch (IOException | RuntimeException e) {
                failed(e);
            }
        }

        /** On the I/O thread, once every byte has been written to the socket. */
        @Override
        protected void handleFlushComplete(boolean finalFrame) {
            if (reported.compareAndSet(false, true)) {
                done.accept(null);
            }
        }

        /** The connection broke, or was closed, before the batch was written. */
        @Override
        public void markBroken() {
            super.markBroken();
            failed(new ClosedChannelException());
        }

        /** Undertow gave up on the batch (its flush timed out, or it was closed under us). */
        @Override
        protected void channelForciblyClosed() throws IOException {
            try {
                super.channelForciblyClosed();
            } finally {
                failed(new ClosedChannelException());
            }
        }

        void failed(Throwable failure) {
            if (reported.compareAndSet(false, true)) {
                done.accept(failure);
            }
        }
    }
}
