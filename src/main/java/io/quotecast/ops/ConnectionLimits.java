package io.quotecast.ops;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Admission: how many connections are open, in all and per client address, and how fast one address
 * opens them; and whether one more may. Every admitted connection holds a {@link Ticket} until it
 * closes; a ticket is returned once however often it is returned, so that a close reported twice,
 * or a connection refused after it was counted, never counts anything twice.
 *
 * <p>A limit of 0 is off. The per-address limits apply to the real client address
 * ({@link ClientAddress}); where the container does not tell it ({@link ClientAddress#UNKNOWN}),
 * only the total applies.
 */
public final class ConnectionLimits {

    /** Why a connection was refused; {@link #tag()} names it in metrics and logs. */
    public enum Reason {
        MAX_CONNECTIONS("max_connections"),
        MAX_CONNECTIONS_PER_ADDRESS("max_connections_per_address"),
        MAX_HANDSHAKES_PER_ADDRESS("max_handshakes_per_address"),
        // Refused at the edge, by the standalone server's transport, before any WebSocket exists:
        /** The kernel refused to accept (EMFILE): the process is at its open-file limit. */
        OPEN_FILES("open_files"),
        /** A request (a handshake) not complete within {@code server.handshakeTimeoutSeconds}: closed. */
        HANDSHAKE_TIMEOUT("handshake_timeout"),
        /** Too many unfinished requests from one address: closed at once. */
        UNFINISHED_HANDSHAKES_PER_ADDRESS("unfinished_handshakes_per_address");

        private final String tag;

        Reason(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** The verdict on one connection: admitted with a ticket, or refused for a reason. */
    public sealed interface Admission {
    }

    /** Admitted: return the ticket when the connection closes. */
    public record Admitted(Ticket ticket) implements Admission {
    }

    /** Refused: close the connection with 1013 (try again later). */
    public record Refused(Reason reason, String message) implements Admission {
    }

    private final int maxConnections;
    private final int maxPerAddress;
    private final int maxHandshakesPerSecond;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, Integer> openByAddress = new ConcurrentHashMap<>();
    private final Map<String, TokenBucket> handshakes = new ConcurrentHashMap<>();
    private final LongAdder accepted = new LongAdder();
    private final Map<Reason, LongAdder> refused = new EnumMap<>(Reason.class);

    /** Limits of 0 are off. */
    public ConnectionLimits(int maxConnections, int maxPerAddress, int maxHandshakesPerAddressPerSecond) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.maxHandshakesPerSecond = maxHandshakesPerAddressPerSecond;
        for (Reason reason : Reason.values()) {
            refused.put(reason, new LongAdder());
        }
    }

    /** Counts a connection from {@code address} opening at {@code nowNanos}, if the limits allow it. */
    public Admission admit(String address, long nowNanos) {
        boolean known = !ClientAddress.UNKNOWN.equals(address);
        // Every attempt spends a token, admitted or not: a storm is a storm whatever its outcome.
        if (known && maxHandshakesPerSecond > 0 && !handshakeAllowed(address, nowNanos)) {
            return refuse(Reason.MAX_HANDSHAKES_PER_ADDRESS,
                    "more than " + maxHandshakesPerSecond + " connections a second from this address: try again later");
        }
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return refuse(Reason.MAX_CONNECTIONS, "the server is at its limit of " + maxConnections + " connections: try again later");
        }
        String counted = null;
        if (known && maxPerAddress > 0) {
            boolean[] over = new boolean[1];
            openByAddress.compute(address, (key, count) -> {
                int now = count == null ? 0 : count;
                if (now >= maxPerAddress) {
                    over[0] = true;
                    return count;
                }
                return now + 1;
            });
            if (over[0]) {
                open.decrementAndGet();
                return refuse(Reason.MAX_CONNECTIONS_PER_ADDRESS,
                        "this address has " + maxPerAddress + " connections open, the limit: try again later");
            }
            counted = address;
        }
        accepted.increment();
        return new Admitted(new Ticket(counted));
    }

    private boolean handshakeAllowed(String address, long nowNanos) {
        boolean[] allowed = new boolean[1];
        handshakes.compute(address, (key, bucket) -> {
            TokenBucket b = bucket != null ? bucket : new TokenBucket(maxHandshakesPerSecond, maxHandshakesPerSecond, nowNanos);
            allowed[0] = b.tryTake(nowNanos);
            return b;
        });
        return allowed[0];
    }

    private Admission refuse(Reason reason, String message) {
        refused.get(reason).increment();
        return new Refused(reason, message);
    }

    /**
     * Forgets the handshake buckets that have filled up again: an address quiet for a second holds no
     * memory. Call now and then (the keepalive sweep does).
     */
    public void sweep(long nowNanos) {
        // Through compute, as admit does: a bucket is only ever touched under its key's lock.
        for (String address : handshakes.keySet()) {
            handshakes.computeIfPresent(address, (key, bucket) -> bucket.isFull(nowNanos) ? null : bucket);
        }
    }

    /**
     * True when no further connection fits the total: the handshake is answered 503 before it upgrades.
     * A connection admitted by another thread meanwhile is still refused with 1013 by {@link #admit}.
     */
    public boolean full() {
        return open.get() >= maxConnections;
    }

    /** The total limit. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Counts a connection refused before it reached {@link #admit} (at the handshake, or by the transport). */
    public void refusedEarly(Reason reason) {
        refused.get(reason).increment();
    }

    /** Connections open now. */
    public int open() {
        return open.get();
    }

    /** Connections open now from one address, where the per-address limit is on (else 0). */
    public int openFrom(String address) {
        return openByAddress.getOrDefault(address, 0);
    }

    /** Addresses with a handshake bucket in memory. */
    public int trackedAddresses() {
        return handshakes.size();
    }

    public long accepted() {
        return accepted.sum();
    }

    public long refused(Reason reason) {
        return refused.get(reason).sum();
    }

    /** An admitted connection's place; {@link #release()} gives it back, once. */
    public final class Ticket {

        private final String address;
        private final AtomicBoolean released = new AtomicBoolean();

        private Ticket(String address) {
            this.address = address;
        }

        public void release() {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            if (address != null) {
                openByAddress.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
            }
            open.decrementAndGet();
        }
    }
}
