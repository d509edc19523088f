package io.quotecast.websocket;

import jakarta.websocket.RemoteEndpoint;

import java.io.IOException;

/**
 * How a {@link PortableSink}'s next write goes, learnt per session: batched where the container
 * batches, through the blocking API on a flusher where it does not, or async frame by frame (always
 * possible: the fallback while the flushers are all stalled, and for a client slow to take a flush or
 * a blocking write, which would stall a flusher again). Written and read by the write in flight only,
 * which may move between threads.
 *
 * <p>A slow client is trusted with a flusher again once it has taken {@value #PROMPT_WRITES_TO_RECOVER}
 * async writes in a row promptly: it reads again. Async frame by frame is no place to stay: on Open
 * Liberty each frame is two thread hand-offs inside the container, and a client that had paused and
 * read again got its quotes at the rate of those hand-offs, conflated, for the rest of its
 * connection (the suite's client that falls behind and reads again took 82 s, not 15, in one fresh
 * clone on a busy machine).
 */
final class WriteChoice {

    private final RemoteEndpoint.Async remote;
    private final BatchFlushes flushes;
    /** Whether this session may batch: the deployment lets it, and the container did when asked. */
    volatile boolean batchingWorks = true;
    /** Async writes in a row a slow client must take promptly to be written on a flusher again. */
    static final int PROMPT_WRITES_TO_RECOVER = 16;
    /** The client took longer than {@link BatchFlushes#SLOW_MILLIS} to take a write on a flusher, and has not recovered. */
    volatile boolean slow;
    /** Since the client was last slow: async writes it took promptly, in a row. */
    private int promptWrites;
    /** Whether a write may go through the blocking API where the container does not batch. */
    volatile boolean blockingWhereUnbatched;
    /** Whether the container batches at all; null until a write of several frames asked it. */
    private volatile Boolean containerBatches;

    WriteChoice(RemoteEndpoint.Async remote, BatchFlushes flushes) {
        this.remote = remote;
        this.flushes = flushes;
    }

    /**
     * Starts batching this session's sends if it may: the flushers are not all stalled, the client
     * has never been slow to take a flush, and the container batches at all (batching is optional:
     * Open Liberty's {@code getBatchingAllowed} stays false).
     */
    boolean startBatch() {
        if (slow || !batchingWorks || !flushes.mayBatch()) {
            return false;
        }
        try {
            remote.setBatchingAllowed(true);
            if (remote.getBatchingAllowed()) {
                return true;
            }
            containerBatches = false;
        } catch (IOException | RuntimeException e) {
            // not batching, then
        }
        batchingWorks = false;
        return false;
    }

    /** A write on a flusher took the client {@code tookNanos}: longer than {@link BatchFlushes#SLOW_MILLIS} makes it slow. */
    void flusherWriteTook(long tookNanos) {
        if (flushes.tooLong(tookNanos)) {
            promptWrites = 0;
            slow = true;
        }
    }

    /**
     * An async write of a slow client ended: taken within a tenth of {@link BatchFlushes#SLOW_MILLIS}
     * and without failure, it counts towards trusting the client again; else the count starts over.
     */
    void asyncWriteTook(long tookNanos, boolean failed) {
        if (!slow) {
            return;
        }
        if (failed || flushes.tooLong(tookNanos * 10)) {
            promptWrites = 0;
        } else if (++promptWrites >= PROMPT_WRITES_TO_RECOVER) {
            promptWrites = 0;
            slow = false;
        }
    }

    /**
     * Whether an unbatched write goes through the blocking API on a flusher: the container was seen
     * not to batch (a write of several frames asked it; nothing else toggles its batching, which on
     * Tomcat would race a batch being ended), the client was never slow to take one, and the flushers
     * are not all stalled.
     */
    boolean sendsBlocking() {
        return blockingWhereUnbatched && !slow && Boolean.FALSE.equals(containerBatches) && flushes.mayBatch();
    }
}
