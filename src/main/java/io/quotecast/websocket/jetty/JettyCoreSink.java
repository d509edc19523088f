package io.quotecast.websocket.jetty;

import io.quotecast.stream.Frame;
import io.quotecast.stream.WireFormat;
import io.quotecast.websocket.SessionSink;
import io.quotecast.websocket.SessionSinks;
import jakarta.websocket.Session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The {@link io.quotecast.stream.FrameSink} of a session on Jetty 12: frames go to the session's
 * Jetty core session, each fan-out frame as the UTF-8 payload encoded once per tick
 * ({@link Frame#wire()} without its header), and frames that waited together as one gathering
 * write: all but the last batched (copied into Jetty's batch buffer), the last not, which writes them
 * all at once.
 *
 * <p>Why not the Jakarta API: there every quote is a {@code String} encoded to UTF-8 again for each
 * client, and a batch ends only through {@code setBatchingAllowed(false)}, which blocks until the bytes
 * are written, so it has to be handed to another thread, a wake-up per write. Jetty's core session
 * queues frames on any thread and never blocks, so a write starts on the thread that drains the client
 * (the feed's, at its batch end) and its completion comes from Jetty.
 *
 * <p>One write at a time: the hub never starts a write before the last one's {@code done}, so Jetty's
 * queue holds one write of this session's at most. Pings go through the same queue (Jetty puts a
 * control frame ahead of the data frames queued, never inside one); the close goes through the Jakarta
 * session, which Jetty queues behind them, and a write the client never takes fails after the
 * container's send timeout, so that close is bounded too.
 */
final class JettyCoreSink extends SessionSink {

    private final CoreFrames core;

    JettyCoreSink(Session session, CoreFrames core) {
        super(session);
        this.core = core;
    }

    /**
     * A sink on {@code session}'s core session with {@code handles}, or null where the session is not
     * the one they were looked up for or has negotiated extensions (whose frames ours would bypass the
     * transforms of: Jetty would compress them, which is fine, but the frames must stay whole); the
     * container's send timeout is set from the stuck client timeout, as on the portable path.
     */
    static JettyCoreSink of(Session session, ReflectiveCoreFrames.Handles handles, long stuckTimeoutMillis) {
        if (session.getClass() != handles.sessionType() || !session.getNegotiatedExtensions().isEmpty()) {
            return null;
        }
        CoreFrames core;
        try {
            core = handles.framesOf(session);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            return null;
        }
        session.getAsyncRemote().setSendTimeout(SessionSinks.containerSendTimeout(stuckTimeoutMillis));
        return new JettyCoreSink(session, core);
    }

    @Override
    public String writePath() {
        return JettyWritePath.NAME;
    }

    /** Jetty's core session queues a frame on any thread and returns at once, written or not. */
    @Override
    public boolean startsWritesAnywhere() {
        return true;
    }

    @Override
    public void send(String text, Consumer<Throwable> done) {
        core.sendText(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), false, done);
    }

    @Override
    public void send(Frame frame, Consumer<Throwable> done) {
        core.sendText(payload(frame), false, done);
    }

    @Override
    public boolean gathers() {
        return true;
    }

    /**
     * A write here is a system call whatever it carries, and Jetty's flush around it costs more than the
     * frames (about 10 CPU-us a write against 2 a quote, fitted on the portable path at load A): worth
     * every quote waiting out the window.
     */
    @Override
    public boolean gathersEveryQuote() {
        return true;
    }

    @Override
    public void send(Frame[] frames, int count, Consumer<Throwable> done) {
        for (int i = 0; i < count - 1; i++) {
            core.sendText(payload(frames[i]), true, null);
        }
        core.sendText(payload(frames[count - 1]), false, done);
    }

    /** Never blocks: queued on the core session (the Jakarta API's ping waits until written). */
    @Override
    public void ping() {
        core.sendPing(pingPayload());
    }

    /**
     * The frame's UTF-8 payload, a view of its wire bytes past the header (RFC 6455: two bytes, four
     * with a 16-bit length, ten with a 64-bit one), new for each session: Jetty reads it as it writes.
     */
    static ByteBuffer payload(Frame frame) {
        byte[] wire = frame.wire();
        int length = wire[1] & WireFormat.LENGTH_MASK;
        int header = length < WireFormat.LENGTH_16 ? 2 : length == WireFormat.LENGTH_16 ? 4 : 10;
        return ByteBuffer.wrap(wire, header, wire.length - header);
    }
}
