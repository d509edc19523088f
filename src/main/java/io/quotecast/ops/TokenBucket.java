package io.quotecast.ops;

/**
 * A token bucket on a caller's clock: {@code capacity} tokens at most, refilled at {@code perSecond}.
 * Not thread-safe: one per connection, used by whoever handles that connection's messages, or
 * guarded by its owner.
 */
public final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long updatedNanos;

    /** Starts full: a client's first burst is its to spend. */
    public TokenBucket(double perSecond, double capacity, long nowNanos) {
        if (perSecond <= 0 || capacity < 1) {
            throw new IllegalArgumentException("a bucket needs a positive rate and room for one token");
        }
        this.perSecond = perSecond;
        this.capacity = capacity;
        this.tokens = capacity;
        this.updatedNanos = nowNanos;
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether the bucket has filled up again: its owner has paused long enough to be forgiven. */
    public boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= capacity;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - updatedNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perSecond / NANOS_PER_SECOND);
            updatedNanos = nowNanos;
        }
    }
}
