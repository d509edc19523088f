package io.quotecast.stream;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code maxRate}: which quotes go at once, which are parked, and when parked ones are released. */
class PacerTest {

    static final long INTERVAL = 100;

    final Pacer pacer = new Pacer(3);
    final List<Integer> released = new ArrayList<>();

    @Test
    void aQuoteWithinTheIntervalOfTheLastIsParkedUntilItIsDue() {
        pacer.setInterval(0, INTERVAL, 0, released::add);
        assertTrue(pacer.admit(0, 1_000), "the first quote goes at once");
        assertFalse(pacer.admit(0, 1_050));
        assertTrue(pacer.isParked(0));
        assertEquals(1_100, pacer.dueNanos(0));
    }

    @Test
    void aQuoteAtTheIntervalGoesAtOnce() {
        pacer.setInterval(0, INTERVAL, 0, released::add);
        pacer.admit(0, 1_000);
        assertTrue(pacer.admit(0, 1_100));
    }

    @Test
    void releaseDueReleasesWhatIsDueAndSaysWhenTheNextParkedQuoteIs() {
        pacer.setInterval(0, INTERVAL, 0, released::add);
        pacer.setInterval(1, 2 * INTERVAL, 0, released::add);
        pacer.admit(0, 1_000);
        pacer.admit(1, 1_000);
        pacer.admit(0, 1_010);
        pacer.admit(1, 1_010);

        assertEquals(1_200, pacer.releaseDue(1_100, released::add));
        assertEquals(List.of(0), released);
        assertEquals(Pacer.NEVER, pacer.releaseDue(1_200, released::add));
        assertEquals(List.of(0, 1), released);
        assertEquals(0, pacer.parkedCount());
    }

    @Test
    void aReleasedQuoteStartsTheNextInterval() {
        pacer.setInterval(0, INTERVAL, 0, released::add);
        pacer.admit(0, 1_000);
        pacer.admit(0, 1_010);
        pacer.releaseDue(1_150, released::add);
        assertFalse(pacer.admit(0, 1_200), "100 after the release at 1150, not after the quote at 1000");
    }

    @Test
    void liftingTheCapReleasesAParkedQuoteAtOnce() {
        pacer.setInterval(0, INTERVAL, 0, released::add);
        pacer.admit(0, 1_000);
        pacer.admit(0, 1_010);
        assertEquals(Pacer.NEVER, pacer.setInterval(0, 0, 1_020, released::add));
        assertEquals(List.of(0), released);
        assertFalse(pacer.isPaced(0));
    }

    @Test
    void aLongerIntervalKeepsAParkedQuoteParkedAndSaysWhenItIsDue() {
        pacer.setInterval(0, INTERVAL, 0, released::add);
        pacer.admit(0, 1_000);
        pacer.admit(0, 1_010);
        assertEquals(1_500, pacer.setInterval(0, 5 * INTERVAL, 1_020, released::add));
        assertEquals(List.of(), released);
    }

    @Test
    void endingASubscriptionDropsItsParkedQuote() {
        pacer.setInterval(0, INTERVAL, 0, released::add);
        pacer.admit(0, 1_000);
        pacer.admit(0, 1_010);
        pacer.stop(0);
        assertEquals(0, pacer.parkedCount());
        assertEquals(Pacer.NEVER, pacer.releaseDue(5_000, released::add));
        assertEquals(List.of(), released);
    }

    @Test
    void aPacedSubscriptionsSnapshotCountsAsItsFirstRelease() {
        pacer.setInterval(0, INTERVAL, 0, released::add);
        pacer.start(0, 1_000);
        assertFalse(pacer.admit(0, 1_050), "the snapshot went at 1000");
    }
}
