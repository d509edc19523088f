package io.quotecast.ops;

import io.quotecast.stream.CloseCode;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Keepalive and idle bookkeeping for every open connection, swept by one timer (see
 * {@link Operations}): a ping every {@code pingNanos}; a connection whose pong has not come back
 * within {@code pongTimeoutNanos} is closed, since the pong is the only evidence that the peer still
 * reads (quotes written to a dead peer only fill kernel buffers); and a connection with no
 * subscription that has sent nothing for {@code idleNanos} is closed too.
 *
 * <p>Connections that open together (a reconnect storm, a load balancer's shift) are not pinged
 * together: each gets its own phase within the period, so a sweep pings a share of them. A thousand
 * pings and their thousand pongs in one sweep delay the fan-out's writes by tens of milliseconds on a
 * small machine, which is where a stream's p99 goes (docs/benchmarks.md).
 *
 * <p>Transport-free: the endpoint hands in a {@link Peer} that knows how to ping and close.
 */
public final class Keepalive {

    /** Close code for a peer that stopped answering pings: it is presumed gone. */
    public static final CloseCode CLOSE_NO_PONG = CloseCode.GOING_AWAY;
    /** Close code for a connection idle without a subscription: a normal close. */
    public static final CloseCode CLOSE_IDLE = CloseCode.NORMAL;

    /** The connection as the sweep sees it. */
    public interface Peer {
        /** Sends a WebSocket ping; must not wait for the network. */
        void ping();

        /** Closes the connection with a close code and reason. */
        void close(CloseCode code, String reason);

        /** Whether the connection is subscribed to anything now. */
        boolean subscribed();
    }

    private final long pingNanos;
    private final long pongTimeoutNanos;
    private final long idleNanos;
    private final LongSupplier clock;
    private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
    private final LongAdder pings = new LongAdder();
    private final LongAdder closedNoPong = new LongAdder();
    private final LongAdder closedIdle = new LongAdder();
    /** How many connections were watched so far: the next one's phase within the ping period. */
    private final AtomicLong phases = new AtomicLong();

    public Keepalive(long pingNanos, long pongTimeoutNanos, long idleNanos, LongSupplier clock) {
        this.pingNanos = pingNanos;
        this.pongTimeoutNanos = pongTimeoutNanos;
        this.idleNanos = idleNanos;
        this.clock = clock;
    }

    /** Starts watching a new connection; {@link Watch#cancel()} when it closes. */
    public Watch watch(Peer peer) {
        Watch watch = new Watch(peer, clock.getAsLong(), phase(phases.getAndIncrement()));
        watched.add(watch);
        return watch;
    }

    /**
     * How much earlier than a whole period the {@code n}th connection's first ping is due: the
     * fractional parts of n times the golden ratio, which spread any run of consecutive connections
     * evenly over the period. The first connection waits the whole period.
     */
    private long phase(long n) {
        double golden = 0.6180339887498949;
        double fraction = (n * golden) % 1.0;
        return (long) (fraction * pingNanos);
    }

    /** Pings sent since the start. */
    public long pingsSent() {
        return pings.sum();
    }

    /** Connections closed for a pong that did not come back in time. */
    public long closedNoPong() {
        return closedNoPong.sum();
    }

    /** Connections closed for idling without a subscription. */
    public long closedIdle() {
        return closedIdle.sum();
    }

    /** Connections watched now. */
    public int size() {
        return watched.size();
    }

    /** Pings those due, and closes those silent for too long. Runs on the timer. */
    public void sweep() {
        long now = clock.getAsLong();
        for (Watch watch : watched) {
            watch.check(now);
        }
    }

    /** One connection's keepalive state. */
    public final class Watch {

        private final Peer peer;
        private long lastPingNanos;
        private long pongDueSinceNanos;
        private boolean awaitingPong;
        private long lastActivityNanos;
        private boolean closed;

        private Watch(Peer peer, long nowNanos, long phaseNanos) {
            this.peer = peer;
            this.lastPingNanos = nowNanos - phaseNanos;
            this.lastActivityNanos = nowNanos;
        }

        /** The peer answered a ping. */
        public synchronized void pong() {
            awaitingPong = false;
        }

        /** The peer sent a message: it is not idle. */
        public synchronized void activity() {
            lastActivityNanos = clock.getAsLong();
        }

        /** The connection closed: stop watching it. */
        public void cancel() {
            watched.remove(this);
        }

        private void check(long now) {
            String closeReason = null;
            CloseCode closeCode = null;
            boolean ping = false;
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (awaitingPong && now - pongDueSinceNanos > pongTimeoutNanos) {
                    closeCode = CLOSE_NO_PONG;
                    closeReason = "no pong within " + pongTimeoutNanos / 1_000_000_000 + " s";
                } else if (now - lastActivityNanos > idleNanos && !peer.subscribed()) {
                    closeCode = CLOSE_IDLE;
                    closeReason = "idle: no subscription and no message for " + idleNanos / 1_000_000_000 + " s";
                } else if (!awaitingPong && now - lastPingNanos >= pingNanos) {
                    ping = true;
                    awaitingPong = true;
                    lastPingNanos = now;
                    pongDueSinceNanos = now;
                }
                if (closeReason != null) {
                    closed = true;
                }
            }
            if (closeReason != null) {
                (closeCode == CLOSE_NO_PONG ? closedNoPong : closedIdle).increment();
                watched.remove(this);
                peer.close(closeCode, closeReason);
            } else if (ping) {
                pings.increment();
                peer.ping();
            }
        }
    }
}
