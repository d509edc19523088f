package io.quotecast.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A {@link ClientScheduler} whose tasks run at once and whose timers run when the test moves the clock. */
final class ManualScheduler implements ClientScheduler {

    private record Timer(long due, Runnable task, boolean[] cancelled) {
    }

    private final List<Timer> timers = new ArrayList<>();
    private long now = 1_764_000_000_000L;
    boolean shutdown;

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public void execute(Runnable task) {
        if (!shutdown) {
            task.run();
        }
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
        boolean[] cancelled = {false};
        timers.add(new Timer(now + delayMillis, task, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    /** The delay of the earliest pending timer, or -1 if none. */
    long nextDelay() {
        return pending().stream().mapToLong(timer -> timer.due - now).min().orElse(-1);
    }

    /** Moves the clock, running each timer that falls due on the way, in order. */
    void advance(long millis) {
        long until = now + millis;
        while (true) {
            Timer next = pending().stream().filter(timer -> timer.due <= until)
                    .min(Comparator.comparingLong(Timer::due)).orElse(null);
            if (next == null) {
                break;
            }
            timers.remove(next);
            now = next.due;
            execute(next.task);
        }
        now = until;
    }

    private List<Timer> pending() {
        timers.removeIf(timer -> timer.cancelled[0]);
        return List.copyOf(timers);
    }
}
