package io.quotecast.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** What an outbox finds at the positions it holds, before and after the log goes round. */
class FrameLogTest {

    final FrameLog log = new FrameLog(2);

    @Test
    void aPositionStillInTheRingGivesItsFrame() {
        Frame frame = log.append("a", 0, 1);
        log.append("b", 1, 1);
        assertSame(frame, log.at(frame.position()));
    }

    @Test
    void aPositionTheRingHasGoneRoundIsGone() {
        Frame first = log.append("a", 0, 1);
        for (int i = 0; i < FrameLog.CAPACITY; i++) {
            log.append("b", 1, i + 1);
        }
        assertNull(log.at(first.position()));
    }

    @Test
    void theNewestFrameOfEachSymbolOutlivesTheRing() {
        Frame newestOfA = log.append("a", 0, 1);
        Frame newestOfB = null;
        for (int i = 0; i < FrameLog.CAPACITY; i++) {
            newestOfB = log.append("b", 1, i + 1);
        }
        assertSame(newestOfA, log.newest(0));
        assertSame(newestOfB, log.newest(1));
    }
}
