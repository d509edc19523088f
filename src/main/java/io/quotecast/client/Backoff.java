package io.quotecast.client;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * How long to wait before the next connection attempt: exponential from {@code initial} up to {@code max},
 * with "equal jitter" (half the step fixed, half random) so that many clients dropped at once do not come
 * back at once, yet none retries at once. A server at its limit (1013, 503) is given at least
 * {@link #OVERLOADED_FLOOR} from the first attempt.
 */
record Backoff(Duration initial, Duration max) {

    static final Duration OVERLOADED_FLOOR = Duration.ofSeconds(2);
    static final Backoff DEFAULT = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30));

    Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max: " + initial + ", " + max);
        }
    }

    /**
     * The wait before attempt {@code attempt} (0 for the first retry); {@code random} gives a number in
     * {@code [0, bound)} for a bound, so tests can fix it.
     */
    Duration delay(int attempt, boolean overloaded, LongUnaryOperator random) {
        long step = initial.toMillis() << Math.min(attempt, 20);
        if (overloaded) {
            step = Math.max(step, OVERLOADED_FLOOR.toMillis());
        }
        step = Math.min(step, Math.max(max.toMillis(), overloaded ? OVERLOADED_FLOOR.toMillis() : 0));
        long half = step / 2;
        return Duration.ofMillis(half + random.applyAsLong(step - half + 1));
    }
}
