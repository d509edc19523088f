package io.quotecast.web;

import java.time.Duration;
import java.util.List;

/**
 * The deployment's own threads, awaited at undeploy until they have really ended. An executor's
 * {@code awaitTermination} returns once its workers have left their loops, a moment before their
 * threads die; a servlet container looks for live threads of the application's class loader right
 * after the last listener returns (Tomcat then logs a leak warning for each), so the listener waits
 * for the threads themselves, bounded.
 */
final class LeftoverThreads {

    /** Every thread Quotecast starts is named so. */
    static final String PREFIX = "quotecast-";

    private LeftoverThreads() {
    }

    /**
     * Joins each live thread named {@link #PREFIX} whose context class loader is {@code loader}, for
     * {@code patience} in all; returns those still alive after it.
     */
    static List<Thread> awaitEnd(ClassLoader loader, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        List<Thread> ours = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread != Thread.currentThread())
                .filter(thread -> thread.getName().startsWith(PREFIX))
                .filter(thread -> thread.getContextClassLoader() == loader)
                .toList();
        for (Thread thread : ours) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                thread.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return ours.stream().filter(Thread::isAlive).toList();
    }
}
