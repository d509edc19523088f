package io.quotecast.websocket;

import io.quotecast.stream.Frame;
import jakarta.websocket.Session;

import java.util.function.Consumer;

/**
 * A {@link SessionSink} that writes fan-out frames below the Jakarta API, already framed
 * ({@link Frame#wire()}, built once per tick), and the frames that waited together as one write.
 * Replies still go through the Jakarta API. A container's sink says only how bytes reach its socket.
 */
abstract class FramedWriteSink extends SessionSink {

    private final Session session;

    FramedWriteSink(Session session) {
        super(session);
        this.session = session;
    }

    @Override
    public final void send(Frame frame, Consumer<Throwable> done) {
        write(frame.wire(), done);
    }

    @Override
    public final boolean gathers() {
        return true;
    }

    @Override
    public final void send(Frame[] frames, int count, Consumer<Throwable> done) {
        write(Frame.joinWire(frames, count), done);
    }

    private void write(byte[] wire, Consumer<Throwable> done) {
        if (!session.isOpen()) {
            throw new IllegalStateException("the session is closed");
        }
        writeFramed(wire, done);
    }

    /** Starts writing {@code wire}, one or more whole WebSocket frames; {@code done} once, when it is written or has failed. */
    abstract void writeFramed(byte[] wire, Consumer<Throwable> done);
}
