package io.quotecast.stream;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The live frames the feed fanned out lately, each at its position (one more per tick), and the
 * newest frame of each symbol.
 *
 * <p>Outboxes hold positions, plain longs, not references to frames. An outbox lives long and ends
 * up in the old generation while every frame is young; storing a young reference in an old object
 * costs the JVM a card mark and later a rescan of that card (G1's refinement). At one store per
 * quote per client, that rescanning is a large share of the server's CPU (docs/benchmarks.md);
 * positions cost none.
 *
 * <p>Only the feed thread appends. Readers find a frame by the position an outbox was given after
 * the append, so they see it unless the ring has gone round since: then {@link #at} answers null and
 * the reader falls back on the symbol's newest frame (the latest quote wins, as in conflation).
 */
final class FrameLog {

    static final int CAPACITY = 8192;

    private final Frame[] ring = new Frame[CAPACITY];
    private final AtomicReferenceArray<Frame> newest;
    private long next;

    FrameLog(int symbolCount) {
        this.newest = new AtomicReferenceArray<>(symbolCount);
    }

    /** Encoded once, numbered and kept: the frame that every subscriber of this tick is handed. */
    Frame append(String text, int symbolIndex, long seq) {
        Frame frame = new Frame(text, symbolIndex, seq, next++);
        ring[(int) (frame.position() & (CAPACITY - 1))] = frame;
        newest.set(symbolIndex, frame);
        return frame;
    }

    /** The frame at {@code position}, or null if newer ones have since taken its place. */
    Frame at(long position) {
        Frame frame = ring[(int) (position & (CAPACITY - 1))];
        return frame != null && frame.position() == position ? frame : null;
    }

    /** The symbol's newest live frame, null before its first tick. */
    Frame newest(int symbolIndex) {
        return newest.get(symbolIndex);
    }
}
