package io.quotecast.websocket;

import io.quotecast.stream.CloseCode;
import io.quotecast.stream.Frame;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;

import java.io.IOException;
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
 * <p>Frames that waited together take one hand-off from the outbox, one {@link PortableWrite}: sent
 * one after another, each from the completion of the one before, batched where the container
 * batches, flushed by {@link BatchFlushes}, so that they reach the socket in one write. A
 * send that the client never reads ends by the container's own send timeout
 * ({@link RemoteEndpoint.Async#setSendTimeout}, {@link #containerTimeout}; Tomcat's blocking flush
 * by its session property for it), so a close waiting behind it is bounded too.
 *
 * <p>The API's ping is blocking ({@code sendPing} returns once written), so it never runs on the
 * caller's thread: not on the keepalive timer, which must not wait for the network, and not inside
 * a send's completion, where a container may be in the middle of its own flushing (Jetty's then
 * waits for itself). It runs on {@code pings}, an executor of the deployment's.
 */
final class PortableSink extends SessionSink {

    static final String NAME = "portable";
    static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    final RemoteEndpoint.Async remote;
    final BatchFlushes flushes;
    private final Executor pings;
    private final Runnable pingNow = this::pingNow;
    private final Object lock = new Object();
    /** An operation (a send chain, a ping or the close) is in flight. */
    private boolean busy;
    /** The next send, started once the operation in flight is done (the send loop has one at most). */
    private PortableWrite waitingSend;
    private boolean waitingPing;
    private CloseCode waitingClose;
    private String waitingCloseReason;
    private boolean closed;
    /** Written and read by the write in flight only, which may move between threads. */
    volatile boolean batchingWorks = true;
    volatile boolean slow;

    PortableSink(Session session, long sendTimeoutMillis, Executor pings, BatchFlushes flushes) {
        super(session);
        this.pings = pings;
        this.flushes = flushes;
        this.remote = session.getAsyncRemote();
        long containerTimeout = containerTimeout(sendTimeoutMillis);
        remote.setSendTimeout(containerTimeout);
        // Tomcat's bound on a blocking write, a flush included (documented; default 20 s); others ignore it.
        session.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, containerTimeout);
    }

    /**
     * The container's own timeout for a send, from the stuck client timeout: half as long again. The
     * hub closes a client stuck for the stuck timeout with 1008 (it looks every quarter of it), and
     * that close waits for the send in flight; the container's timeout ends that send, later, so that
     * the client gets the hub's 1008, not the failed send's 1011 (Open Liberty reports its timeout
     * to the send and leaves the connection open), and the close is still bounded.
     */
    static long containerTimeout(long stuckTimeoutMillis) {
        return stuckTimeoutMillis + stuckTimeoutMillis / 2;
    }

    @Override
    public String writePath() {
        return NAME;
    }

    @Override
    public void send(String text, Consumer<Throwable> done) {
        submit(new PortableWrite(this, null, text, 1, done));
    }

    @Override
    public boolean gathers() {
        return true;
    }

    /** Each write here is a send per frame, each from the last one's completion, and a flusher's wake-up. */
    @Override
    public boolean gathersEveryQuote() {
        return true;
    }

    @Override
    public void send(Frame[] frames, int count, Consumer<Throwable> done) {
        submit(new PortableWrite(this, frames, null, count, done));
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

    private void submit(PortableWrite chain) {
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
            chain.refuse(new IllegalStateException("the session is closing"));
        } else {
            chain.start();
        }
    }

    /**
     * Starts batching this session's sends if it may: the flushers are not all stalled, the client
     * has never been slow to take a flush, and the container batches at all (batching is optional:
     * Open Liberty's {@code getBatchingAllowed} stays false).
     */
    boolean startBatch() {
        if (slow || !batchingWorks || !flushes.mayBatch()) {
            return false;
        }
        try {
            remote.setBatchingAllowed(true);
            if (remote.getBatchingAllowed()) {
                return true;
            }
            batchingWorks = false;
        } catch (IOException | RuntimeException e) {
            batchingWorks = false;
        }
        return false;
    }

    /**
     * The operation in flight is done: runs what waited, the close first (nothing goes after it), then
     * the ping, then the send, whose own completion comes back here.
     */
    void release() {
        while (true) {
            PortableWrite send = null;
            PortableWrite dropped = null;
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
                    dropped.refuse(new IllegalStateException("the session is closing"));
                }
            } else if (ping) {
                dispatchPing(); // its end releases again
                return;
            } else {
                send.start();
                return;
            }
        }
    }
}
