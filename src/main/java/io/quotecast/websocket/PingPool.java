package io.quotecast.websocket;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The portable path's pool for the API's blocking calls (pings, batch flushes, their watcher): threads
 * made as needed, idle ones gone after a minute. Its {@link #awaitTermination} returns only once its
 * threads have ended, not merely left the pool: a servlet container looks for the application's
 * threads right after undeploy, and a thread that has just left a terminated pool is still alive then
 * (Tomcat warned of one).
 */
final class PingPool extends ThreadPoolExecutor {

    private final Queue<Thread> threads;

    private PingPool(Queue<Thread> threads, AtomicInteger count) {
        super(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "quotecast-ping-" + count.incrementAndGet());
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        });
        this.threads = threads;
    }

    static PingPool start() {
        return new PingPool(new ConcurrentLinkedQueue<>(), new AtomicInteger());
    }

    @Override
    protected void afterExecute(Runnable task, Throwable failure) {
        threads.removeIf(thread -> !thread.isAlive());
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        if (!super.awaitTermination(timeout, unit)) {
            return false;
        }
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return !thread.isAlive();
            }
            TimeUnit.NANOSECONDS.timedJoin(thread, left);
            if (thread.isAlive()) {
                return false;
            }
        }
        return true;
    }
}
