package io.quotecast.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * A timer whose clock moves only when the test says ({@link #advance}), running the tasks that fall
 * due on the way, in order of their time, on the test's thread.
 */
final class ManualTimer implements Scheduler {

    private record Task(long dueNanos, long order, Runnable task) {
    }

    private final List<Task> tasks = new ArrayList<>();
    private long now = 1_000_000_000L;
    private long order;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void schedule(Runnable task, long delayNanos) {
        tasks.add(new Task(now + Math.max(0, delayNanos), order++, task));
    }

    /** Moves the clock on by {@code nanos}, running each task that falls due at its own time. */
    void advance(long nanos) {
        long until = now + nanos;
        while (true) {
            Task next = null;
            for (Task task : tasks) {
                if (task.dueNanos() <= until && (next == null || task.dueNanos() < next.dueNanos()
                        || task.dueNanos() == next.dueNanos() && task.order() < next.order())) {
                    next = task;
                }
            }
            if (next == null) {
                break;
            }
            tasks.remove(next);
            now = Math.max(now, next.dueNanos());
            next.task().run();
        }
        now = until;
    }

    void advanceMillis(long millis) {
        advance(millis * 1_000_000);
    }

    /** Tasks scheduled and not yet run. */
    int pending() {
        return tasks.size();
    }
}
