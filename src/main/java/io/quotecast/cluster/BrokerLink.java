package io.quotecast.cluster;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of a node's connection to the broker, as /health and /metrics show it. Written by the
 * source's own thread, read by anyone.
 */
public final class BrokerLink {

    private final String url;
    private final String role;
    private volatile boolean up;
    private volatile long changedAtMillis = System.currentTimeMillis();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong ticksDropped = new AtomicLong();

    BrokerLink(String url, String role) {
        this.url = url;
        this.role = role;
    }

    /** The broker URL, as configured. */
    public String url() {
        return url;
    }

    /** {@code publish} or {@code subscribe}: what this node does with the broker. */
    public String role() {
        return role;
    }

    public boolean up() {
        return up;
    }

    /** When the link last went up or down, epoch ms. */
    public long changedAtMillis() {
        return changedAtMillis;
    }

    /** Successful connections since the start: more than one means the node reconnected. */
    public long connects() {
        return connects.get();
    }

    /** Publisher: ticks that could not be published (broker down, or the publishing queue full). */
    public long ticksDropped() {
        return ticksDropped.get();
    }

    void connected() {
        connects.incrementAndGet();
        set(true);
    }

    void lost() {
        set(false);
    }

    void dropped(long ticks) {
        ticksDropped.addAndGet(ticks);
    }

    private void set(boolean nowUp) {
        if (up != nowUp) {
            up = nowUp;
            changedAtMillis = System.currentTimeMillis();
        }
    }
}
