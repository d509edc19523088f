package io.quotecast.stream;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/** Sender threads that run nothing until the test says so, on the test's thread. */
final class ManualExecutor implements Executor {

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /** Runs tasks, and those they hand over, until none is left. */
    void runAll() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    int pending() {
        return tasks.size();
    }
}
