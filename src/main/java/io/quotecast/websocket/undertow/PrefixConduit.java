package io.quotecast.websocket.undertow;

import io.undertow.conduits.IdleTimeoutConduit;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.StreamSinkConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.function.Consumer;

/**
 * Our conduit on top of Undertow's: it holds what the socket did not take of a direct write, and
 * writes it ahead of anything Undertow writes after it; Undertow is told the socket is full until
 * then. Its flush (which Undertow's write listener calls once the socket is writable again, with
 * nothing of its own to write) finishes the write and reports it done. Used under the channel's
 * lock: Undertow writes only in its {@code flushSenders}, which holds it, and so do our writes.
 */
final class PrefixConduit extends AbstractStreamSinkConduit<StreamSinkConduit> {

    private final ConduitStreamSinkChannel sink;
    private final Object lock;
    /** Where our own bytes go: {@link SocketConduit#below}. */
    private final StreamSinkConduit socket;
    /** Undertow's idle-timeout conduit above {@link #socket}, or null. */
    private final IdleTimeoutConduit idle;
    private ByteBuffer remainder;
    private Consumer<Throwable> done;

    PrefixConduit(StreamSinkConduit next, ConduitStreamSinkChannel sink, Object lock) {
        super(next);
        this.sink = sink;
        this.lock = lock;
        SocketConduit below = SocketConduit.below(next);
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
    public long transferFrom(FileChannel src, long position, long count) throws IOException {
        return ahead() ? next.transferFrom(src, position, count) : 0;
    }

    @Override
    public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer) throws IOException {
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
