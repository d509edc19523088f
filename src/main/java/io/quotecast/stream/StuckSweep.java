package io.quotecast.stream;

import java.time.Duration;

/**
 * The stuck-client sweep: on the hub's timer, every quarter of the stuck timeout (5 ms to 1 s), closes
 * with {@link CloseCode#POLICY} every client whose one write has been in flight longer than the stuck
 * timeout. Such a client stopped reading or lost its network, and would otherwise hold server memory
 * for as long as its TCP connection lingers.
 */
final class StuckSweep {

    private static final System.Logger LOG = System.getLogger(StuckSweep.class.getName());

    private final SubscriptionRegistry registry;
    private final HubThreads threads;
    private final long stuckTimeoutNanos;
    private final long sweepNanos;

    private StuckSweep(SubscriptionRegistry registry, HubThreads threads, Duration stuckTimeout) {
        this.registry = registry;
        this.threads = threads;
        this.stuckTimeoutNanos = stuckTimeout.toNanos();
        this.sweepNanos = Duration.ofMillis(Math.max(5, Math.min(1_000, stuckTimeout.toMillis() / 4))).toNanos();
    }

    /** Arms the first sweep on the hub's timer; each sweep arms the next. */
    static void start(SubscriptionRegistry registry, HubThreads threads, Duration stuckTimeout) {
        StuckSweep sweep = new StuckSweep(registry, threads, stuckTimeout);
        threads.timer.schedule(sweep::run, sweep.sweepNanos);
    }

    private void run() {
        try {
            long now = threads.timer.nanoTime();
            for (Subscriber subscriber : registry.openConnections()) {
                long stuck = subscriber.stuckFor(now);
                if (stuck > stuckTimeoutNanos) {
                    LOG.log(System.Logger.Level.INFO, "closing a client stuck for {0} ms", stuck / 1_000_000);
                    registry.disconnect(subscriber);
                    // On a sender thread: the timer paces everyone else and must not wait on a transport.
                    threads.sender.execute(() -> subscriber.close(CloseCode.POLICY,
                            "not reading: a frame in flight for over " + stuckTimeoutNanos / 1_000_000 + " ms"));
                }
            }
        } catch (RuntimeException e) {
            // The sweep must go on after one failure.
            LOG.log(System.Logger.Level.ERROR, "stuck-client sweep failed", e);
        }
        threads.timer.schedule(this::run, sweepNanos);
    }
}
