package io.quotecast.ops;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handshake deadline's bookkeeping, on a clock the test moves: deadlines, the per-address cap, idle keep-alive. */
class UnfinishedHandshakesTest {

    private static final long SECOND = 1_000_000_000L;

    private final UnfinishedHandshakes<String> unfinished = new UnfinishedHandshakes<>(10 * SECOND, 2);

    @Test
    void aRequestNotCompleteByItsDeadlineExpiresAsUnfinished() {
        assertTrue(unfinished.begin("a", "10.0.0.1", 0));
        assertEquals(List.of(), unfinished.expired(10 * SECOND - 1));
        assertEquals(List.of(new UnfinishedHandshakes.Expired<>("a", true)), unfinished.expired(10 * SECOND));
        assertEquals(0, unfinished.unfinishedFrom("10.0.0.1"), "its place is given back");
        assertEquals(0, unfinished.tracked());
    }

    @Test
    void moreBytesDoNotMoveTheDeadline() {
        unfinished.begin("a", "10.0.0.1", 0);
        assertTrue(unfinished.begin("a", "10.0.0.1", 9 * SECOND), "a trickled byte: still the same request");
        assertEquals(1, unfinished.expired(10 * SECOND).size());
    }

    @Test
    void theCapRefusesTheThirdFromOneAddressAndNotFromAnother() {
        assertTrue(unfinished.begin("a", "10.0.0.1", 0));
        assertTrue(unfinished.begin("b", "10.0.0.1", 0));
        assertFalse(unfinished.begin("c", "10.0.0.1", 0));
        assertTrue(unfinished.begin("d", "10.0.0.2", 0));
        assertTrue(unfinished.begin("e", null, 0), "a trusted proxy is not capped");
        assertTrue(unfinished.begin("f", null, 0));
        assertTrue(unfinished.begin("g", null, 0));
        assertEquals(2, unfinished.unfinishedFrom("10.0.0.1"));
    }

    @Test
    void aRequestThatArrivesGivesItsPlaceBackAndIdlesUntilItsOwnDeadline() {
        unfinished.begin("a", "10.0.0.1", 0);
        unfinished.begin("b", "10.0.0.1", 0);
        unfinished.idle("a", 3 * SECOND);
        assertFalse(unfinished.waiting("a"));
        assertTrue(unfinished.begin("c", "10.0.0.1", 3 * SECOND), "a's place is free");
        assertEquals(List.of(new UnfinishedHandshakes.Expired<>("b", true)), unfinished.expired(10 * SECOND));
        List<UnfinishedHandshakes.Expired<String>> later = unfinished.expired(13 * SECOND);
        assertTrue(later.contains(new UnfinishedHandshakes.Expired<>("a", false)), "idle keep-alive: closed, not unfinished " + later);
    }

    @Test
    void anIdleConnectionsNextRequestCountsAgain() {
        unfinished.begin("a", "10.0.0.1", 0);
        unfinished.idle("a", SECOND);
        assertTrue(unfinished.begin("a", "10.0.0.1", 5 * SECOND));
        assertTrue(unfinished.waiting("a"));
        assertEquals(1, unfinished.unfinishedFrom("10.0.0.1"));
        assertEquals(List.of(), unfinished.expired(14 * SECOND), "its deadline runs from its own first byte");
        assertEquals(1, unfinished.expired(15 * SECOND).size());
    }

    @Test
    void aForgottenConnectionNeverExpires() {
        unfinished.begin("a", "10.0.0.1", 0);
        unfinished.forget("a");
        assertEquals(List.of(), unfinished.expired(100 * SECOND));
        assertEquals(0, unfinished.unfinishedFrom("10.0.0.1"));
    }

    @Test
    void aCapOfZeroIsOff() {
        UnfinishedHandshakes<Integer> uncapped = new UnfinishedHandshakes<>(SECOND, 0);
        for (int i = 0; i < 1000; i++) {
            assertTrue(uncapped.begin(i, "10.0.0.1", 0));
        }
    }
}
