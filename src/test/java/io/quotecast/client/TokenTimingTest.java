package io.quotecast.client;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** When the client refreshes its token, and how it reads a JWT's expiry. */
class TokenTimingTest {

    @Test
    void aShortTokenIsRefreshedAQuarterOfItsLifeBeforeExpiry() {
        assertEquals(6_000, TokenTiming.refreshDelay(8_000, 0));
    }

    @Test
    void aLongTokenIsRefreshedThirtySecondsBeforeExpiry() {
        assertEquals(3_570_000, TokenTiming.refreshDelay(3_600_000, 0));
    }

    @Test
    void aTokenAboutToExpireIsRefreshedAtOnce() {
        assertEquals(0, TokenTiming.refreshDelay(500, 0));
    }

    @Test
    void theExpiryIsReadFromTheJwtsExpClaim() {
        assertEquals(OptionalLong.of(1_764_000_000_000L), TokenTiming.expiry(SessionTest.jwt(1_764_000_000L)));
    }

    @Test
    void anOpaqueTokenHasNoExpiryToPlanFor() {
        assertEquals(OptionalLong.empty(), TokenTiming.expiry("opaque-token"));
        assertEquals(OptionalLong.empty(), TokenTiming.expiry("a.%%%.c"));
    }
}
