package io.quotecast.ops;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.quotecast.ops.MessageRate.Verdict.ALLOW;
import static io.quotecast.ops.MessageRate.Verdict.CLOSE;
import static io.quotecast.ops.MessageRate.Verdict.REFUSE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageRateTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFlooderIsRefusedThenClosedAfterABurstOfRefusals() {
        MessageRate rate = new MessageRate(20, 0);
        List<MessageRate.Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            verdicts.add(rate.onMessage(0));
        }
        assertEquals(40, verdicts.stream().filter(v -> v == ALLOW).count(), "the burst: twice the rate");
        assertEquals(39, verdicts.stream().filter(v -> v == REFUSE).count());
        assertEquals(CLOSE, verdicts.get(79), "the 40th refusal closes");
    }

    @Test
    void aClientSlightlyAboveTheRateIsClosedInTheEnd() {
        MessageRate rate = new MessageRate(20, 0);
        long now = 0;
        MessageRate.Verdict verdict = ALLOW;
        int messages = 0;
        while (verdict != CLOSE && messages < 10_000) {
            now += SECOND / 25; // 25 a second: 5 a second too many
            verdict = rate.onMessage(now);
            messages++;
        }
        assertEquals(CLOSE, verdict);
        assertTrue(now < 20 * SECOND, "closed within 20 s, after " + now / SECOND + " s");
    }

    @Test
    void aClientThatPausesUntilItsBucketIsFullIsForgiven() {
        MessageRate rate = new MessageRate(20, 0);
        long now = 0;
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 70; i++) {
                // a burst of 70: 40 applied, 30 refused, never 40 refusals
                MessageRate.Verdict verdict = rate.onMessage(now);
                assertTrue(verdict != CLOSE, "round " + round + " message " + i);
            }
            now += 3 * SECOND;
        }
    }

    @Test
    void aWellBehavedClientAtTheRateIsNeverRefused() {
        MessageRate rate = new MessageRate(20, 0);
        long now = 0;
        for (int i = 0; i < 10_000; i++) {
            now += SECOND / 20;
            assertEquals(ALLOW, rate.onMessage(now));
        }
    }
}
