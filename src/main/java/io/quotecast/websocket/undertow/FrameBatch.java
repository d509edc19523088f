package io.quotecast.websocket.undertow;

import io.undertow.util.ImmediatePooledByteBuffer;
import io.undertow.websockets.core.StreamSinkFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSocketFrameType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Frames already encoded, as one of Undertow's frame channels. Its header is empty (the frames carry
 * their own), so Undertow writes the bytes as they are; it is a TEXT channel so that Undertow orders
 * it like a message (behind the messages queued before it, pings and pongs allowed ahead), and it
 * is never in Undertow's strict order queue, which only messages started with
 * {@link WebSocketChannel#send} join: the one write in flight per client keeps ours in order.
 */
final class FrameBatch extends StreamSinkFrameChannel {

    private final byte[] wire;
    private final Consumer<Throwable> done;
    private final AtomicBoolean reported = new AtomicBoolean();

    FrameBatch(WebSocketChannel channel, byte[] wire, Consumer<Throwable> done) {
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
