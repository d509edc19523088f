package io.quotecast.stream;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The edges of what a resuming client can be replayed: {@link TickBuffer#after}. */
class TickBufferTest {

    final TickBuffer buffer = new TickBuffer(4);

    @Test
    void anEmptyBufferReplaysNothingSoTheClientStartsFromASnapshot() {
        assertNull(buffer.after(0));
    }

    @Test
    void sinceTheNewestTickThereIsNothingToReplay() {
        add(1, 3);
        assertArrayEquals(new long[0], seqs(buffer.after(3)));
    }

    @Test
    void sinceJustBeforeTheOldestBufferedTickEveryBufferedTickIsReplayedInOrder() {
        add(1, 6); // 3..6 buffered
        assertArrayEquals(new long[] {3, 4, 5, 6}, seqs(buffer.after(2)));
    }

    @Test
    void sinceOlderThanThatATickIsMissingSoNothingIsReplayed() {
        add(1, 6);
        assertNull(buffer.after(1));
    }

    @Test
    void sinceFromTheFutureAnotherRunOfTheFeedNothingIsReplayed() {
        add(1, 3);
        assertNull(buffer.after(4));
    }

    @Test
    void afterTheRingWrapsTheReplayStaysInOrder() {
        add(1, 9); // 6..9 buffered, the newest at the ring's start
        assertArrayEquals(new long[] {8, 9}, seqs(buffer.after(7)));
    }

    private void add(long fromSeq, long toSeq) {
        for (long seq = fromSeq; seq <= toSeq; seq++) {
            buffer.add(new Frame("q" + seq, 0, seq));
        }
    }

    private static long[] seqs(Frame[] frames) {
        return Arrays.stream(frames).mapToLong(Frame::seq).toArray();
    }
}
