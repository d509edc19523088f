package io.quotecast.protocol;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * A {@link SessionClock} whose time moves only when the test says ({@link #advance}): the monotonic
 * clock and the wall clock together, running each action that falls due on the way, at its time, in
 * order, on the test's thread. The wall clock starts at the real now (to the second), so that real
 * tokens' {@code exp} fall within reach of it.
 */
final class ManualClock implements SessionClock {

    private record Task(Instant due, long order, FutureTask<?> task) {
    }

    private final List<Task> tasks = new ArrayList<>();
    private final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private Instant now = start;
    private long nanos = 1_000_000_000L;
    private long order;

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Future<?> at(Instant when, Runnable action) {
        FutureTask<?> task = new FutureTask<>(action, null);
        tasks.add(new Task(when, order++, task));
        return task;
    }

    /** When the clock started: the wall time of a test's beginning. */
    Instant start() {
        return start;
    }

    Instant now() {
        return now;
    }

    /** Moves both clocks on by {@code duration}, running each action that falls due at its own time. */
    void advance(Duration duration) {
        Instant until = now.plus(duration);
        long untilNanos = nanos + duration.toNanos();
        while (true) {
            Task next = tasks.stream().filter(task -> !task.due().isAfter(until))
                    .min(Comparator.comparing(Task::due).thenComparing(Task::order)).orElse(null);
            if (next == null) {
                break;
            }
            tasks.remove(next);
            if (next.due().isAfter(now)) {
                nanos += Duration.between(now, next.due()).toNanos();
                now = next.due();
            }
            next.task().run(); // does nothing if it was cancelled
        }
        now = until;
        nanos = untilNanos;
    }

    void advanceMillis(long millis) {
        advance(Duration.ofMillis(millis));
    }

    /** Actions waiting for their time, not called off. */
    long pending() {
        return tasks.stream().filter(task -> !task.task().isCancelled()).count();
    }
}
