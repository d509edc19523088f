package io.quotecast.websocket;

import io.quotecast.stream.CloseCode;
import io.quotecast.stream.Frame;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The write path every container gets: the Jakarta WebSocket API alone, keeping its rules. The
 * specification lets a container refuse a send while another one of the session is in progress
 * (Open Liberty does: "write not allowed"), so exactly one operation is in flight per session: the
 * next send starts from the completion of the last, and a keepalive ping or the close frame that
 * comes while a send is in flight waits for it and goes next.
 *
 * <p>Frames that waited together still take one hand-off from the outbox: they are sent one after
 * another, each from the completion of the one before. A send that the client never reads ends by
 * the container's own send timeout ({@link RemoteEndpoint.Async#setSendTimeout}, set to the stuck
 * client timeout), so a close waiting behind it is bounded too.
 *
 * <p>The API's ping is blocking ({@code sendPing} returns once written), so it never runs on the
 * caller's thread: not on the keepalive timer, which must not wait for the network, and not inside
 * a send's completion, where a container may be in the middle of its own flushing (Jetty's then
 * waits for itself). It runs on {@code pings}, an executor of the deployment's.
 */
final class PortableSink extends SessionSink {

    static final String NAME = "portable";

    private final RemoteEndpoint.Async remote;
    private final Executor pings;
    private final Runnable pingNow = this::pingNow;
    private final Object lock = new Object();
    /** An operation (a send chain, a ping or the close) is in flight. */
    private boolean busy;
    /** The next send, started once the operation in flight is done (the send loop has one at most). */
    private Chain waitingSend;
    private boolean waitingPing;
    private CloseCode waitingClose;
    private String waitingCloseReason;
    private boolean closed;

    PortableSink(Session session, long sendTimeoutMillis, Executor pings) {
        super(session);
        this.pings = pings;
        this.remote = session.getAsyncRemote();
        remote.setSendTimeout(sendTimeoutMillis);
    }

    @Override
    public String writePath() {
        return NAME;
    }

    @Override
    public void send(String text, Consumer<Throwable> done) {
        submit(new Chain(null, text, 1, done));
    }

    @Override
    public boolean gathers() {
        return true;
    }

    @Override
    public void send(Frame[] frames, int count, Consumer<Throwable> done) {
        submit(new Chain(frames, null, count, done));
    }

    @Override
    public void ping() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (busy) {
                waitingPing = true;
                return;
            }
            busy = true;
        }
        dispatchPing();
    }

    private void dispatchPing() {
        try {
            pings.execute(pingNow);
        } catch (RejectedExecutionException e) {
            release(); // shutting down: no ping
        }
    }

    private void pingNow() {
        super.ping();
        release();
    }

    @Override
    public void close(CloseCode code, String reason) {
        synchronized (lock) {
            if (closed || waitingClose != null) {
                return;
            }
            if (busy) {
                waitingClose = code;
                waitingCloseReason = reason;
                return;
            }
            busy = true;
            closed = true;
        }
        super.close(code, reason);
        release();
    }

    private void submit(Chain chain) {
        boolean refused;
        synchronized (lock) {
            refused = closed || waitingClose != null;
            if (!refused) {
                if (busy) {
                    waitingSend = chain;
                    return;
                }
                busy = true;
            }
        }
        if (refused) {
            chain.done.accept(new IllegalStateException("the session is closing"));
        } else {
            chain.sendNext();
        }
    }

    /**
     * The operation in flight is done: runs what waited, the close first (nothing goes after it), then
     * the ping, then the send, whose own completion comes back here.
     */
    private void release() {
        while (true) {
            Chain send = null;
            Chain dropped = null;
            boolean ping = false;
            CloseCode close = null;
            String closeReason = null;
            synchronized (lock) {
                if (waitingClose != null) {
                    close = waitingClose;
                    closeReason = waitingCloseReason;
                    waitingClose = null;
                    closed = true;
                    dropped = waitingSend;
                    waitingSend = null;
                    waitingPing = false;
                } else if (waitingPing && !closed) {
                    waitingPing = false;
                    ping = true;
                } else if (waitingSend != null) {
                    send = waitingSend;
                    waitingSend = null;
                } else {
                    busy = false;
                    return;
                }
            }
            if (close != null) {
                super.close(close, closeReason);
                if (dropped != null) {
                    dropped.done.accept(new IllegalStateException("the session is closing"));
                }
            } else if (ping) {
                dispatchPing(); // its end releases again
                return;
            } else {
                send.sendNext();
                return;
            }
        }
    }

    /** One write of the send loop: its frames sent one after another, each from the last one's completion. */
    private final class Chain implements SendHandler {

        private final Frame[] frames;
        private final String text;
        private final int count;
        private final Consumer<Throwable> done;
        private int next;

        Chain(Frame[] frames, String text, int count, Consumer<Throwable> done) {
            this.frames = frames;
            this.text = text;
            this.count = count;
            this.done = done;
        }

        void sendNext() {
            String payload = frames == null ? text : frames[next].text();
            try {
                remote.sendText(payload, this);
            } catch (RuntimeException e) {
                finish(e);
            }
        }

        @Override
        public void onResult(SendResult result) {
            if (!result.isOK()) {
                finish(result.getException());
            } else if (++next < count) {
                sendNext();
            } else {
                finish(null);
            }
        }

        private void finish(Throwable failure) {
            release();
            done.accept(failure);
        }
    }
}
