package io.quotecast.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Exponential backoff with equal jitter, capped, with a floor for a server at its limit. */
class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

    @Test
    void theWaitDoublesFromTheInitialStep() {
        assertEquals(50, backoff.delay(0, false, bound -> 0).toMillis());
        assertEquals(100, backoff.delay(1, false, bound -> 0).toMillis());
        assertEquals(200, backoff.delay(2, false, bound -> 0).toMillis());
    }

    @Test
    void theJitterSpreadsTheWaitOverTheUpperHalfOfTheStep() {
        assertEquals(400, backoff.delay(2, false, bound -> bound - 1).toMillis());
        assertEquals(201, backoff.delay(2, false, bound -> 1).toMillis());
    }

    @Test
    void theWaitIsCapped() {
        assertEquals(2_000, backoff.delay(30, false, bound -> bound - 1).toMillis());
    }

    @Test
    void aServerAtItsLimitIsGivenAtLeastTheFloorFromTheFirstRetry() {
        assertEquals(Backoff.OVERLOADED_FLOOR.toMillis() / 2, backoff.delay(0, true, bound -> 0).toMillis());
    }
}
