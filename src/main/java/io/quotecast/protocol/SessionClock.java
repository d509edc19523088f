package io.quotecast.protocol;

import io.quotecast.security.TokenExpiry;

import java.time.Instant;
import java.util.concurrent.Future;

/**
 * The time a {@link ProtocolSession} lives by: a monotonic clock for its message rate, and a timer for
 * its token's expiry. Production runs on the system clock and the application's {@link TokenExpiry}
 * thread ({@link #system}); a unit test passes a manual one, and moves time itself.
 */
public interface SessionClock {

    /** Now, in nanoseconds of a clock that only moves forward (as {@link System#nanoTime()}). */
    long nanoTime();

    /**
     * Runs {@code action} at {@code when} (at once if that has passed), on a thread of the timer's own;
     * cancelling the returned future calls it off.
     */
    Future<?> at(Instant when, Runnable action);

    /** The system clock, and {@code expiry}'s thread for the actions at an instant. */
    static SessionClock system(TokenExpiry expiry) {
        return new SessionClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Future<?> at(Instant when, Runnable action) {
                return expiry.at(when, action);
            }
        };
    }
}
