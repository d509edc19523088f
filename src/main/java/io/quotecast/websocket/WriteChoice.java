package io.quotecast.websocket;

import jakarta.websocket.RemoteEndpoint;

import java.io.IOException;

/**
 * How a {@link PortableSink}'s next write goes, learnt per session: batched where the container
 * batches, through the blocking API on a flusher where it does not, or async frame by frame (always
 * possible: the fallback while the flushers are all stalled, and for a client once slow to take a
 * flush or a blocking write, which would stall a flusher again). Written and read by the write in
 * flight only, which may move between threads.
 */
final class WriteChoice {

    private final RemoteEndpoint.Async remote;
    private final BatchFlushes flushes;
    /** Whether this session may batch: the deployment lets it, and the container did when asked. */
    volatile boolean batchingWorks = true;
    /** The client once took longer than {@link BatchFlushes#SLOW_MILLIS} to take a write on a flusher. */
    volatile boolean slow;
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
