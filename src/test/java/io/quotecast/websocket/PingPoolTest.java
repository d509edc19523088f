package io.quotecast.websocket;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A servlet container looks for the application's threads right after undeploy: none may be left alive then. */
class PingPoolTest {

    @Test
    void onceTerminatedItsThreadsHaveEndedNotJustLeftThePool() throws InterruptedException {
        ExecutorService pool = SessionSinks.pingPool();
        AtomicReference<Thread> ran = new AtomicReference<>();
        pool.execute(() -> ran.set(Thread.currentThread()));
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        assertFalse(ran.get() != null && ran.get().isAlive(), "the pool's thread is gone");
    }
}
