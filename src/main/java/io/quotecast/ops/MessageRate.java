package io.quotecast.ops;

/**
 * One connection's message rate: a {@link TokenBucket} of {@code connection.maxMessagesPerSecond},
 * with a burst of twice that, and the rule for a client that will not slow down.
 *
 * <p>A message above the rate is refused ({@code rate_limited}, not applied). Refusals are strikes;
 * a client that collects as many strikes as its burst ({@code 2 x maxMessagesPerSecond}) before its
 * bucket has filled up again is closed with 1008. Strikes are forgiven once the bucket is full,
 * that is once the client has paused for the two seconds the burst takes to refill: a program that
 * overshoots now and then is answered, a flooder is dropped within seconds.
 */
public final class MessageRate {

    /** What to do with a client's message. */
    public enum Verdict {
        /** Apply it. */
        ALLOW,
        /** Answer {@code rate_limited}; do not apply it. */
        REFUSE,
        /** The client keeps going past the limit: close it with 1008. */
        CLOSE
    }

    private final TokenBucket bucket;
    private final int strikesToClose;
    private int strikes;

    public MessageRate(int maxMessagesPerSecond, long nowNanos) {
        int burst = burst(maxMessagesPerSecond);
        this.bucket = new TokenBucket(maxMessagesPerSecond, burst, nowNanos);
        this.strikesToClose = burst;
    }

    /** The burst a client may send at once: twice the rate per second. */
    public static int burst(int maxMessagesPerSecond) {
        return 2 * maxMessagesPerSecond;
    }

    /** The verdict on a message arriving at {@code nowNanos}. */
    public synchronized Verdict onMessage(long nowNanos) {
        if (strikes > 0 && bucket.isFull(nowNanos)) {
            strikes = 0;
        }
        if (bucket.tryTake(nowNanos)) {
            return Verdict.ALLOW;
        }
        strikes++;
        return strikes >= strikesToClose ? Verdict.CLOSE : Verdict.REFUSE;
    }
}
