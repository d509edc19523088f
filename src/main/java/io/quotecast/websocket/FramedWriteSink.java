package io.quotecast.websocket;

import io.quotecast.stream.Frame;
import jakarta.websocket.Session;

import java.util.function.Consumer;

/**
 * A {@link SessionSink} that writes fan-out frames below the Jakarta API, already framed
 * ({@link Frame#wire()}, built once per tick), and the frames that waited together as one write.
 * Replies still go through the Jakarta API. A container's sink says only how bytes reach its socket.
 *
 * <p>Portable itself (the Jakarta API and {@link Frame}s only): the sinks that extend it, each in the
 * package of its container ({@code websocket.tyrus}, {@code websocket.undertow}), are not.
 */
public abstract class FramedWriteSink extends SessionSink {

    private final Session session;

    protected FramedWriteSink(Session session) {
        super(session);
        this.session = session;
    }

    @Override
    public final void send(Frame frame, Consumer<Throwable> done) {
        checkOpen();
        writeFramed(frame.wire(), done);
    }

    @Override
    public final boolean gathers() {
        return true;
    }

    @Override
    public final void send(Frame[] frames, int count, Consumer<Throwable> done) {
        checkOpen();
        writeFrames(frames, count, done);
    }

    private void checkOpen() {
        if (!session.isOpen()) {
            throw new IllegalStateException("the session is closed");
        }
    }

    /** Starts writing {@code wire}, one or more whole WebSocket frames; {@code done} once, when it is written or has failed. */
    protected abstract void writeFramed(byte[] wire, Consumer<Throwable> done);

    /**
     * Starts writing the frames {@code frames[0..count)} as one write. By default their wire bytes are
     * joined into one array for {@link #writeFramed}; a sink that can copy them straight into a
     * buffer of its own overrides this (the joined array is most of what a gathered write allocates).
     */
    protected void writeFrames(Frame[] frames, int count, Consumer<Throwable> done) {
        writeFramed(Frame.joinWire(frames, count), done);
    }
}
