package io.quotecast.ops;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Decides when a warning that may recur thousands of times a second (a refusal at the open-file limit) is
 * written: the first time, then at most once per interval, with the number of times it happened meanwhile,
 * so that the log says what is going on without becoming the next thing that fills a disk.
 */
public final class RateLimitedWarning {

    private final long intervalNanos;
    private final LongSupplier clock;
    private final AtomicLong nextNanos;
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedWarning(long intervalNanos, LongSupplier nanoClock) {
        this.intervalNanos = intervalNanos;
        this.clock = nanoClock;
        this.nextNanos = new AtomicLong(nanoClock.getAsLong());
    }

    /**
     * One more occurrence: returns how many occurrences the line to write now stands for (this one and the
     * ones kept quiet since the last line), or 0 when nothing is to be written now.
     */
    public long occurred() {
        long now = clock.getAsLong();
        long next = nextNanos.get();
        if (now - next >= 0 && nextNanos.compareAndSet(next, now + intervalNanos)) {
            return suppressed.getAndSet(0) + 1;
        }
        suppressed.incrementAndGet();
        return 0;
    }
}
