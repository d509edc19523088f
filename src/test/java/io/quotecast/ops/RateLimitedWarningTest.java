package io.quotecast.ops;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A warning that recurs: the first at once, then one line per interval carrying how many it stands for. */
class RateLimitedWarningTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void theFirstIsWrittenThenOneLinePerIntervalWithTheCountMeanwhile() {
        AtomicLong now = new AtomicLong(42 * SECOND);
        RateLimitedWarning warning = new RateLimitedWarning(5 * SECOND, now::get);
        assertEquals(1, warning.occurred());
        for (int i = 0; i < 999; i++) {
            now.addAndGet(SECOND / 1000);
            assertEquals(0, warning.occurred(), "quiet within the interval");
        }
        now.set(47 * SECOND);
        assertEquals(1000, warning.occurred(), "999 kept quiet and this one");
        now.addAndGet(SECOND);
        assertEquals(0, warning.occurred());
        now.addAndGet(4 * SECOND);
        assertEquals(2, warning.occurred());
    }
}
