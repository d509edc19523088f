package io.quotecast.stream;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Hands a tick's one frame to the outbox of each of its subscribers, and drains each outbox when it is
 * due: at once where its transport writes one frame at a time, else gathered until the feed's batch ends.
 *
 * <p>Writes are gathered per feed batch: the feed hands over the ticks that fell due, then ends its
 * batch ({@link #drainDue}), and only then do the outboxes that are due go out: written by the feed's
 * thread itself where the transport starts writes on any thread without waiting
 * ({@link FrameSink#startsWritesAnywhere}), else handed to the sender pool, one hand-off per sender
 * thread. Beyond the batch, a client is gathered for only where it pays: one with a write in flight
 * gets what arrives meanwhile in the write after it, and one whose last write started less than a
 * gathering window ago waits for the rest of that window, so that it gets at most one write a window
 * (on loopback or a LAN a write costs the server far more than the bytes in it). Any other client's
 * quote goes at the end of its very batch: a client whose quotes come one at a time gets each at once,
 * and no quote waits longer than a window for the ones after it.
 *
 * <p>The hub's timer backs batch ends up, for a feed that stopped between a tick and its batch's end.
 */
final class FanOut {

    private static final System.Logger LOG = System.getLogger(FanOut.class.getName());
    /** How long after a window the timer makes sure that what waited for a batch end has gone out. */
    private static final long BACKSTOP_NANOS = Duration.ofMillis(5).toNanos();

    private final HubThreads threads;
    private final Scheduler timer;
    private final long windowNanos;
    /** Outboxes waiting for a batch end, with when each is due (parallel arrays); feed thread and timer. */
    private final Object gatherLock = new Object();
    private Subscriber[] waiting = new Subscriber[64];
    private long[] waitingDue = new long[64];
    private int waitingCount;
    private boolean backstopArmed;

    /** {@code gatherWindow}: how long live quotes are gathered before they are written (zero: at once). */
    FanOut(HubThreads threads, Duration gatherWindow) {
        this.threads = threads;
        this.timer = threads.timer;
        this.windowNanos = gatherWindow.toNanos();
    }

    /** Hands {@code frame}, a live tick, to every one of {@code subscribers}; drains or gathers those it woke. */
    void deliver(Frame frame, List<Subscriber> subscribers) {
        // Outboxes that were idle must be drained; rather than one hand-off each to a sender thread,
        // they are drained together (drainAll). The arrays are young and short-lived on purpose: reused
        // ones would be old, and every store into them a card mark (see FrameLog).
        Subscriber[] later = null;
        Subscriber[] direct = null;
        long[] laterDue = null;
        int laterCount = 0;
        int directCount = 0;
        long now = timer.nanoTime();
        for (Subscriber subscriber : subscribers) {
            Wake wake = subscriber.accept(frame, now, windowNanos);
            switch (wake) {
                case NOW -> direct = append(direct, directCount++, subscriber, subscribers.size());
                case BATCH_END, WINDOW_END -> {
                    if (laterDue == null || laterCount == laterDue.length) {
                        laterDue = laterDue == null ? new long[Math.max(16, subscribers.size())] : Arrays.copyOf(laterDue, laterCount * 2);
                    }
                    laterDue[laterCount] = wake == Wake.WINDOW_END ? subscriber.windowEnd() : now;
                    later = append(later, laterCount++, subscriber, subscribers.size());
                }
                case NONE -> { }
            }
        }
        if (directCount > 0) {
            drainAll(direct, directCount);
        }
        if (laterCount > 0) {
            gather(later, laterDue, laterCount);
        }
    }

    /**
     * The feed's batch is over: every waiting outbox that is due is drained. Those of clients whose window
     * has not ended wait for a later batch end, so that one write carries every quote of the window.
     */
    void batchEnded() {
        drainDue(timer.nanoTime());
    }

    private static Subscriber[] append(Subscriber[] array, int count, Subscriber subscriber, int sizeHint) {
        if (array == null) {
            array = new Subscriber[Math.max(16, sizeHint)];
        } else if (count == array.length) {
            array = Arrays.copyOf(array, count * 2);
        }
        array[count] = subscriber;
        return array;
    }

    /**
     * Adds outboxes, each with when it is due, to those waiting for a batch end. The first to wait
     * arms the timer as a backstop, for a feed that would stop between a tick and its batch end.
     */
    private void gather(Subscriber[] ready, long[] due, int count) {
        synchronized (gatherLock) {
            if (waitingCount + count > waiting.length) {
                int size = Math.max(2 * waiting.length, waitingCount + count);
                waiting = Arrays.copyOf(waiting, size);
                waitingDue = Arrays.copyOf(waitingDue, size);
            }
            System.arraycopy(ready, 0, waiting, waitingCount, count);
            System.arraycopy(due, 0, waitingDue, waitingCount, count);
            waitingCount += count;
            if (!backstopArmed) {
                backstopArmed = true;
                timer.schedule(this::backstop, windowNanos + BACKSTOP_NANOS);
            }
        }
    }

    /**
     * On the timer: drains what a batch end should have, and stays armed while outboxes wait. Only
     * outboxes overdue by the backstop's margin: a running feed ends a batch every few milliseconds
     * and writes those that just fell due itself, where the timer writing them would take them from
     * the feed's thread and move each client's objects between two cores' caches, a cost that shows
     * in the server's CPU at high fan-out.
     */
    private void backstop() {
        drainDue(timer.nanoTime() - BACKSTOP_NANOS);
        synchronized (gatherLock) {
            if (waitingCount == 0) {
                backstopArmed = false;
            } else {
                timer.schedule(this::backstop, windowNanos + BACKSTOP_NANOS);
            }
        }
    }

    /** Drains every waiting outbox due by {@code nowNanos}; the rest wait on. */
    private void drainDue(long nowNanos) {
        Subscriber[] ready = null;
        int readyCount = 0;
        synchronized (gatherLock) {
            int kept = 0;
            for (int i = 0; i < waitingCount; i++) {
                if (waitingDue[i] - nowNanos <= 0) {
                    ready = append(ready, readyCount++, waiting[i], waitingCount);
                } else {
                    waiting[kept] = waiting[i];
                    waitingDue[kept] = waitingDue[i];
                    kept++;
                }
            }
            Arrays.fill(waiting, kept, waitingCount, null);
            waitingCount = kept;
        }
        if (readyCount > 0) {
            drainAll(ready, readyCount);
        }
    }

    /**
     * Runs the drains claimed for these outboxes: here, where the transport starts its writes on any
     * thread without waiting, the rest split into one hand-off per sender thread.
     */
    private void drainAll(Subscriber[] ready, int count) {
        int left = 0;
        for (int i = 0; i < count; i++) {
            Subscriber subscriber = ready[i];
            if (subscriber.drainsOnTheFeed()) {
                drainQuietly(subscriber);
            } else {
                ready[left++] = subscriber;
            }
        }
        count = left;
        if (count == 0) {
            return;
        }
        int shares = Math.min(threads.senders, count);
        for (int s = 0; s < shares; s++) {
            int from = (int) ((long) count * s / shares);
            int to = (int) ((long) count * (s + 1) / shares);
            Subscriber[] share = Arrays.copyOfRange(ready, from, to);
            threads.sender.execute(() -> {
                for (Subscriber subscriber : share) {
                    drainQuietly(subscriber);
                }
            });
        }
    }

    /** Drains one outbox; one broken outbox must not starve the others drained after it. */
    private static void drainQuietly(Subscriber subscriber) {
        try {
            subscriber.drain();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "sending to a client failed", e);
        }
    }
}
