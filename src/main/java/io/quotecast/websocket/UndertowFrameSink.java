package io.quotecast.websocket;

import io.undertow.util.ImmediatePooledByteBuffer;
import io.undertow.websockets.core.StreamSinkFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSocketFrameType;
import jakarta.websocket.Session;
import org.xnio.XnioIoThread;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The {@link io.quotecast.stream.FrameSink} of a session on Undertow (WildFly): fan-out frames go to
 * the session's {@link WebSocketChannel} already framed, and frames that waited together go out as
 * one of Undertow's frame channels, one hand-off to the connection's I/O thread for all of them.
 *
 * <p>Why not the Jakarta API: Undertow's {@code setBatchingAllowed} and {@code flushBatch} do
 * nothing, so every quote would be a message of its own (a frame channel, a UTF-8 encoding, a task
 * on the I/O thread, a completion back from it). Measured at load A on WildFly 38 (docs/benchmarks.md),
 * that cost as much CPU per quote as the textbook WAR pays.
 *
 * <p>The batch is a frame channel with no header of its own ({@link Batch}): Undertow queues it
 * behind the frames already queued and writes it with them, so its own frames (pings, pongs, the
 * close) stay in order with ours, and it is done, as one write in flight, once the last byte is on the
 * socket. Where the channel has negotiated extensions (whose frames ours would bypass), or where
 * the channel cannot be reached, {@link #of} returns null and the portable {@link SessionSink} is used.
 */
final class UndertowFrameSink extends FramedWriteSink {

    private static final System.Logger LOG = System.getLogger(UndertowFrameSink.class.getName());

    private final WebSocketChannel channel;

    private UndertowFrameSink(Session session, WebSocketChannel channel) {
        super(session);
        this.channel = channel;
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
        Batch batch = new Batch(channel, wire, done);
        XnioIoThread ioThread = channel.getIoThread();
        if (Thread.currentThread() == ioThread) {
            batch.queue();
        } else {
            MAILBOXES.computeIfAbsent(ioThread, Mailbox::new).post(batch);
        }
    }

    /** Per I/O thread: the batches handed to it since it last looked. */
    private static final Map<XnioIoThread, Mailbox> MAILBOXES = new ConcurrentHashMap<>();

    /**
     * Batches on their way to one of Undertow's I/O threads, which serves many connections: the sender
     * threads post them, and the I/O thread queues and writes all that were posted in one task of its
     * own, rather than one task (and one wake-up) per batch. Each connection has one batch in flight
     * at most, so a mailbox holds at most one per connection of its thread.
     */
    private static final class Mailbox implements Runnable {

        private final XnioIoThread ioThread;
        private final Queue<Batch> posted = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Mailbox(XnioIoThread ioThread) {
            this.ioThread = ioThread;
        }

        void post(Batch batch) {
            posted.add(batch);
            if (scheduled.compareAndSet(false, true)) {
                try {
                    ioThread.execute(this);
                } catch (RuntimeException e) {
                    // the I/O thread is shutting down: nothing it was handed will be written
                    scheduled.set(false);
                    for (Batch refused; (refused = posted.poll()) != null; ) {
                        refused.failed(e);
                    }
                }
            }
        }

        /** On the I/O thread: each batch goes into its connection's frame queue, and out to its socket. */
        @Override
        public void run() {
            // Cleared first: a batch posted from here on schedules the next run.
            scheduled.set(false);
            for (Batch batch; (batch = posted.poll()) != null; ) {
                batch.queue();
            }
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
