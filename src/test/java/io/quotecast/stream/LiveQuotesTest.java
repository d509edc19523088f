package io.quotecast.stream;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One client's live quotes: in order within the budget, conflated per symbol past it. */
class LiveQuotesTest {

    static final int SYMBOLS = 3;
    /** Each quote text below is 10 characters: the budget holds 4 in order. */
    static final long BUDGET = 40;

    final FrameLog log = new FrameLog(SYMBOLS);
    final LiveQuotes live = new LiveQuotes(SYMBOLS, log, BUDGET);
    final long[] seqs = new long[SYMBOLS];

    @Test
    void withinTheBudgetEveryQuoteWaitsInOrder() {
        for (int symbol : new int[] {0, 1, 0, 2}) {
            assertFalse(live.add(tick(symbol)), "nothing conflated within the budget");
        }
        assertEquals(List.of("q0-1", "q1-1", "q0-2", "q2-1"), drain());
    }

    @Test
    void pastTheBudgetEachSymbolWaitsOnceAndItsNewestQuoteGoesOut() {
        for (int i = 0; i < 4; i++) {
            live.add(tick(0)); // fills the budget
        }
        assertFalse(live.add(tick(1)), "the first quote of a symbol past the budget is not a replacement");
        assertTrue(live.add(tick(1)), "a second one replaces it");
        assertFalse(live.add(tick(0)));
        live.add(tick(1));
        assertEquals(List.of("q0-1", "q0-2", "q0-3", "q0-4", "q1-3", "q0-5"), drain(),
                "in order, then the symbols in the order they fell behind, each at its newest");
    }

    @Test
    void aQuoteWhoseFrameTheLogHasOverwrittenGoesOutAsItsSymbolsNewest() {
        live.add(tick(0));
        for (int i = 0; i < FrameLog.CAPACITY; i++) {
            tick(1 + i % 2); // the feed goes on; the log goes round
        }
        tick(0);
        assertEquals(List.of("q0-2"), drain());
    }

    @Test
    void itsCharactersAreCountedWhileTheyWaitAndGivenBackWhenSent() {
        live.add(tick(0));
        live.add(tick(1));
        assertEquals(20, live.charsInOrder());
        live.poll();
        assertEquals(10, live.charsInOrder());
        live.poll();
        assertEquals(0, live.charsInOrder());
        assertTrue(live.isEmpty());
    }

    @Test
    void aClearedQueueHoldsNothing() {
        for (int i = 0; i < 10; i++) {
            live.add(tick(i % SYMBOLS));
        }
        live.clear();
        assertTrue(live.isEmpty());
        assertEquals(0, live.chars());
        assertNull(live.poll());
        assertFalse(live.isBehind(0));
    }

    private Frame tick(int symbol) {
        long seq = ++seqs[symbol];
        return log.append(pad("q" + symbol + "-" + seq), symbol, seq);
    }

    private static String pad(String text) {
        return text + " ".repeat(10 - text.length());
    }

    private List<String> drain() {
        List<String> texts = new ArrayList<>();
        Frame frame;
        while ((frame = live.poll()) != null) {
            texts.add(frame.text().trim());
        }
        return texts;
    }
}
