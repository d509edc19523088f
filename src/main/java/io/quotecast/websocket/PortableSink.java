package io.quotecast.websocket;

import io.quotecast.stream.CloseCode;
import io.quotecast.stream.Frame;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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
 * <p>Where the container does not batch (Open Liberty), each async send is a thread hand-off or two
 * inside the container, per frame; such a sink sends a write's frames with the blocking API instead,
 * on a flusher of {@link BatchFlushes} (one wake-up per write, often fewer), while the flushers keep
 * up. Some containers put no timeout on a blocking send (Open Liberty's has none), so a close that
 * waits behind one that is still going after {@link #containerTimeout} ends it by closing anyway:
 * the send has timed out, as an async one would have.
 *
 * <p>The API's ping is blocking ({@code sendPing} returns once written), and so is its close; neither
 * runs on the caller's thread: not on the keepalive timer, which must not wait for the network, and
 * not inside a send's completion, where a container may be in the middle of its own flushing (Jetty's
 * then waits for itself). They run on {@code pings}, an executor of the deployment's.
 */
final class PortableSink extends SessionSink {

    static final String NAME = "portable";
    static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    final RemoteEndpoint.Async remote;
    /** The blocking API, for writes on a flusher only: its sends return once written. */
    final RemoteEndpoint.Basic basic;
    private final long containerTimeoutNanos;
    final BatchFlushes flushes;
    private final Executor pings;
    private final Runnable pingNow = this::pingNow;
    private final Object lock = new Object();
    /** An operation (a send chain, a ping or the close) is in flight. */
    private boolean busy;
    /** The next send, started once the operation in flight is done (the send loop has one at most). */
    private PortableWrite waitingSend;
    private boolean waitingPing;
    private volatile CloseCode waitingClose; // read without the lock by a blocking write that starts
    private String waitingCloseReason;
    private boolean closed;
    /** How the next write goes: batched, blocking or async. */
    final WriteChoice choice;
    /** The container's own write of whole frames, where the deployment's path has one; else null. */
    final ContainerFrameWriter framed;
    private final String name;
    /** When the blocking write or ping in flight started ({@link System#nanoTime}); 0: none is in flight. */
    private volatile long blockingSince;
    /** A close watches a blocking write: the write's end wakes it (else no notify, which would inflate the lock). */
    private volatile boolean stuckWatched;

    PortableSink(Session session, long sendTimeoutMillis, Executor pings, BatchFlushes flushes) {
        this(session, sendTimeoutMillis, pings, flushes, NAME, null);
    }

    /**
     * The same, with each write's frames going through {@code framed} in one write, where it is not
     * null; {@code name}: the write path's name.
     */
    PortableSink(Session session, long sendTimeoutMillis, Executor pings, BatchFlushes flushes, String name,
                 ContainerFrameWriter.Factory framed) {
        super(session);
        this.name = name;
        this.basic = session.getBasicRemote();
        this.pings = pings;
        this.flushes = flushes;
        this.remote = session.getAsyncRemote();
        this.choice = new WriteChoice(remote, flushes);
        long containerTimeout = containerTimeout(sendTimeoutMillis);
        this.framed = framed == null ? null : framed.of(session, containerTimeout);
        this.containerTimeoutNanos = containerTimeout * 1_000_000;
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
        return name;
    }

    /** Whether the container's own frame writer could not be had for this session (the path then is the portable one). */
    boolean lacksFramedWriter() {
        return framed == null;
    }

    @Override
    public void send(String text, Consumer<Throwable> done) {
        submit(new PortableWrite(this, null, text, 1, done));
    }

    @Override
    public boolean gathers() {
        return true;
    }

    /**
     * Where the container batches, a write here is a send per frame, each from the last one's completion,
     * and a flusher's wake-up for one system call: worth waiting for; so it is where a container's own
     * frame writer takes a write's frames in one. Where neither (Open Liberty on the portable path),
     * each frame is a system call of its own whatever waits, and waiting would only add latency.
     */
    @Override
    public boolean gathersEveryQuote() {
        return choice.batchingWorks || framed != null;
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

    /**
     * Watched as a blocking write is: Open Liberty's ping waits for the connection's write permit with
     * no bound, and a connection that closed just then never gives it back; a close that waits behind
     * such a ping goes anyway once the container timeout has passed.
     */
    private void pingNow() {
        blocking(System.nanoTime());
        super.ping();
        blocking(0);
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
                if (blockingSince != 0) {
                    dispatchStuckClose(blockingSince);
                }
                return;
            }
            busy = true;
            closed = true;
        }
        dispatchClose(code, reason);
    }

    /**
     * The API's close is blocking too: it writes the close frame, and a container may first wait for
     * its own pending read to be cancelled (Open Liberty does, and for a client that reads nothing its
     * close waits seconds). So, like the ping, it never runs on the caller's thread or inside a send's
     * completion, where it would hold one of the container's own threads.
     */
    private void dispatchClose(CloseCode code, String reason) {
        try {
            pings.execute(() -> closeNow(code, reason));
        } catch (RejectedExecutionException e) {
            closeNow(code, reason); // shutting down: here, then
        }
    }

    private void closeNow(CloseCode code, String reason) {
        super.close(code, reason);
        release();
    }

    private void dispatchStuckClose(long since) {
        try {
            pings.execute(() -> closeIfStuck(since));
        } catch (RejectedExecutionException e) { // shutting down: the container closes the session
        }
    }

    /**
     * Waits until the blocking write that started at {@code since} ends, or has taken the container
     * timeout: then it is stuck (its client reads nothing) and the waiting close goes now; the
     * container fails that write as it closes the connection under it.
     */
    private void closeIfStuck(long since) {
        CloseCode code;
        String reason;
        PortableWrite dropped;
        synchronized (lock) {
            stuckWatched = true;
            long left = since + containerTimeoutNanos - System.nanoTime();
            while (blockingSince == since && waitingClose != null && left > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                left = since + containerTimeoutNanos - System.nanoTime();
            }
            if (blockingSince != since || waitingClose == null) {
                return; // it ended: the close went after it
            }
            code = waitingClose;
            reason = waitingCloseReason;
            dropped = takeWaitingClose();
        }
        super.close(code, reason);
        refuse(dropped);
    }

    /** Under the lock: the waiting close goes now and nothing after it; returns the send that waited, to refuse. */
    private PortableWrite takeWaitingClose() {
        waitingClose = null;
        waitingPing = false;
        closed = true;
        PortableWrite dropped = waitingSend;
        waitingSend = null;
        return dropped;
    }

    private static void refuse(PortableWrite dropped) {
        if (dropped != null) {
            dropped.refuse(new IllegalStateException("the session is closing"));
        }
    }

    /** A blocking write starts or (0) ends; a close waiting for it watches it from its start, and learns that it ended. */
    void blocking(long since) {
        blockingSince = since;
        if (since != 0) {
            if (waitingClose != null) {
                dispatchStuckClose(since);
            }
        } else if (stuckWatched) {
            synchronized (lock) {
                lock.notifyAll();
            }
        }
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
            refuse(chain);
        } else {
            chain.start();
        }
    }

    /**
     * The operation in flight is done: runs what waited, the close first (nothing goes after it), then
     * the ping, then the send, whose own completion comes back here (the ping's and the close's end too).
     */
    void release() {
        PortableWrite send = null;
        PortableWrite dropped = null;
        boolean ping = false;
        CloseCode close = null;
        String closeReason = null;
        synchronized (lock) {
            if (waitingClose != null) {
                close = waitingClose;
                closeReason = waitingCloseReason;
                dropped = takeWaitingClose();
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
            refuse(dropped);
            dispatchClose(close, closeReason);
        } else if (ping) {
            dispatchPing();
        } else {
            send.start();
        }
    }
}
