package io.quotecast.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketGivesItsBurstThenRefillsAtItsRate() {
        long now = 0;
        TokenBucket bucket = new TokenBucket(20, 40, now);
        for (int i = 0; i < 40; i++) {
            assertTrue(bucket.tryTake(now), "token " + i + " of the burst");
        }
        assertFalse(bucket.tryTake(now), "the burst is spent");
        now += SECOND / 20;
        assertTrue(bucket.tryTake(now), "one token back after 1/20 s");
        assertFalse(bucket.tryTake(now));
        now += 10 * SECOND;
        assertTrue(bucket.isFull(now), "full again, and never above its capacity");
        for (int i = 0; i < 40; i++) {
            assertTrue(bucket.tryTake(now));
        }
        assertFalse(bucket.tryTake(now));
    }

    @Test
    void aClockGoingBackwardsGivesNothing() {
        TokenBucket bucket = new TokenBucket(1, 1, 10 * SECOND);
        assertTrue(bucket.tryTake(10 * SECOND));
        assertFalse(bucket.tryTake(5 * SECOND));
        assertTrue(bucket.tryTake(11 * SECOND));
    }
}
