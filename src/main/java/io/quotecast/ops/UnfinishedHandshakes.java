package io.quotecast.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections whose request (a WebSocket handshake, or any HTTP request) has begun and not yet
 * arrived whole, each with its deadline, counted per client address and capped: a client that trickles a
 * header byte now and then, or opens sockets and sends nothing, holds a file descriptor and nothing else
 * stops it. Connections idle between two requests of a kept-alive connection have a deadline too, but do
 * not count against the address. Pure bookkeeping on a clock the caller passes; {@code K} is the connection.
 *
 * <p>An address that is {@code null} is not capped (a trusted proxy: every client behind it shares it).
 */
public final class UnfinishedHandshakes<K> {

    /**
     * A connection's state: waiting for a request, or idle between requests; {@code address} is the one it
     * counts against (only while waiting, and null for an uncapped one).
     */
    private record Entry(String address, long deadlineNanos, boolean waiting) {
    }

    private final long timeoutNanos;
    private final int maxPerAddress;
    private final Map<K, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();

    /** {@code maxPerAddress} 0 is off. */
    public UnfinishedHandshakes(long timeoutNanos, int maxPerAddress) {
        this.timeoutNanos = timeoutNanos;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * A request began on {@code connection} (it was accepted, or a kept-alive one sent its first byte again):
     * false, and nothing counted, if its address already has the most unfinished requests allowed.
     */
    public boolean begin(K connection, String address, long nowNanos) {
        Entry previous = entries.get(connection);
        if (previous != null && previous.waiting()) {
            return true; // already waiting: the deadline runs from the request's first byte
        }
        if (address != null && !take(address)) {
            return false;
        }
        release(entries.put(connection, new Entry(address, nowNanos + timeoutNanos, true)));
        return true;
    }

    /**
     * The request arrived whole, or its response is being written: the connection no longer counts against its
     * address, and may stay quiet (a handler at work, then a kept-alive connection between requests) until
     * {@code nowNanos} plus the timeout. Every write moves that on, so a response is never cut while it flows.
     */
    public void idle(K connection, long nowNanos) {
        release(entries.put(connection, new Entry(null, nowNanos + timeoutNanos, false)));
    }

    /** The connection is gone (closed, or upgraded to a WebSocket, which no deadline here may cut). */
    public void forget(K connection) {
        release(entries.remove(connection));
    }

    /** A connection past its deadline: {@code unfinished} if a request was still arriving, false if it was idle. */
    public record Expired<K>(K connection, boolean unfinished) {
    }

    /** Removes and returns the connections past their deadline, unfinished ones and idle ones alike. */
    public List<Expired<K>> expired(long nowNanos) {
        List<Expired<K>> expired = new ArrayList<>();
        for (Map.Entry<K, Entry> entry : entries.entrySet()) {
            if (entry.getValue().deadlineNanos() - nowNanos <= 0 && entries.remove(entry.getKey(), entry.getValue())) {
                release(entry.getValue());
                expired.add(new Expired<>(entry.getKey(), entry.getValue().waiting()));
            }
        }
        return expired;
    }

    /** Whether {@code connection} is waiting for a request now (not idle, not done). */
    public boolean waiting(K connection) {
        Entry entry = entries.get(connection);
        return entry != null && entry.waiting();
    }

    /** Unfinished requests from {@code address} now. */
    public int unfinishedFrom(String address) {
        return byAddress.getOrDefault(address, 0);
    }

    /** Connections tracked now (unfinished and idle). */
    public int tracked() {
        return entries.size();
    }

    private boolean take(String address) {
        boolean[] taken = {true};
        byAddress.compute(address, (key, count) -> {
            int now = count == null ? 0 : count;
            if (maxPerAddress > 0 && now >= maxPerAddress) {
                taken[0] = false;
                return count;
            }
            return now + 1;
        });
        return taken[0];
    }

    private void release(Entry entry) {
        if (entry != null && entry.address() != null) {
            byAddress.computeIfPresent(entry.address(), (key, count) -> count <= 1 ? null : count - 1);
        }
    }
}
