package io.quotecast.websocket.undertow;

import io.quotecast.stream.Frame;
import io.quotecast.websocket.FramedWriteSink;
import io.undertow.websockets.core.WebSocketChannel;
import jakarta.websocket.Session;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The {@link io.quotecast.stream.FrameSink} of a session on Undertow (WildFly): fan-out frames go to
 * the session's connection already framed, and frames that waited together go out as one write,
 * started on the thread that drains the client (the feed's, at its batch end) and never waiting.
 *
 * <p>Why not the Jakarta API: Undertow's {@code setBatchingAllowed} and {@code flushBatch} do
 * nothing, so every quote would be a message of its own (a frame channel, a UTF-8 encoding, a task
 * on the I/O thread, a completion back from it): as much CPU per quote as the textbook WAR pays
 * (docs/benchmarks.md).
 *
 * <p>Why not one of Undertow's frame channels per write either (what this sink did first, and still
 * does when Undertow has frames of its own waiting): a flight recording put most of the I/O threads'
 * own time in that machinery (the channel and its state, the connection's frame queues and their
 * locks, the priority insert, the flush bookkeeping), once per write. So where Undertow has nothing
 * queued, held or half written on the connection, the bytes are written straight to the connection
 * ({@link DirectWriter}), under the lock Undertow's own flush takes, on whichever thread drains the client:
 * a hand-off to the connection's I/O thread would cost a wake-up of that thread per batch end, a
 * large share of the server's CPU at high fan-out (docs/benchmarks.md). Whatever the socket
 * does not take stays at the head of the connection's outgoing bytes, in a conduit of ours on top of
 * Undertow's ({@link PrefixConduit}): every byte Undertow writes after that goes behind it, so its pings,
 * pongs and close frame stay whole and in order with ours, and the write is done once its last byte is
 * on the socket.
 *
 * <p>When Undertow has frames waiting, the batch is a frame channel with no header of its own
 * ({@link FrameBatch}): Undertow queues it behind the frames already queued and writes it with them. Where
 * the channel has negotiated extensions (whose frames ours would bypass), or where the channel cannot
 * be reached, {@link #of} returns null and the portable sink is used.
 */
final class UndertowFrameSink extends FramedWriteSink {

    private static final System.Logger LOG = System.getLogger(UndertowFrameSink.class.getName());

    private final WebSocketChannel channel;
    /** Writes straight to the connection; null where Undertow's internals could not be reached. */
    private final DirectWriter direct;
    /** The scratch buffer of the thread that wrote last; any thread may replace it with its own. */
    private Scratch lastScratch;

    private UndertowFrameSink(Session session, WebSocketChannel channel) {
        super(session);
        this.channel = channel;
        this.direct = DirectWriter.of(channel);
        if (direct != null) {
            channel.getIoThread().execute(direct::install);
        }
    }

    @Override
    public String writePath() {
        return UndertowWritePath.NAME;
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
    protected void writeFramed(byte[] wire, Consumer<Throwable> done) {
        write(null, 0, wire, done);
    }

    @Override
    protected void writeFrames(Frame[] frames, int count, Consumer<Throwable> done) {
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
            int length = wire != null ? wire.length : Frame.wireLength(frames, count);
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
        new FrameBatch(channel, wire != null ? wire : Frame.joinWire(frames, count), done).queue();
    }

    /**
     * The calling thread's scratch buffer. The thread that wrote to this connection last (the feed,
     * nearly always) finds it without a {@link ThreadLocal} lookup: WildFly's threads have crowded
     * thread-local maps, where a lookup often misses its first slot, once per write.
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
}
