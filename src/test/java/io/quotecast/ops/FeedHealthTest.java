package io.quotecast.ops;

import io.quotecast.market.Quote;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** FeedMonitor and Health on an injected clock: UP while the feed ticks, DOWN (503) once it has not for too long. */
class FeedHealthTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong nanos = new AtomicLong(1_000 * SECOND);
    private final AtomicLong wallMillis = new AtomicLong(1_764_000_000_000L);
    private final FeedMonitor feed = new FeedMonitor(10 * SECOND, nanos::get, wallMillis::get);
    private final Health health = new Health(feed, () -> 7, 20_000);

    private Quote tick(long timestamp) {
        BigDecimal p = BigDecimal.ONE;
        return new Quote("ACME", p, p, p, p, p, p, p, p, p, 1, 1, timestamp);
    }

    @Test
    void upWhileTickingThenDownOnceTheLastTickIsTooOld() {
        feed.onQuote(tick(wallMillis.get() - 3));
        Health.Report report = health.report();
        assertEquals(200, report.httpStatus());
        assertEquals(3, feed.lastLagMillis(), "the tick was 3 ms old when it arrived");
        JsonObject json = report.toJson();
        assertEquals("UP", json.getString("status"));
        assertEquals("RUNNING", json.getJsonObject("feed").getString("state"));
        assertEquals(1, json.getJsonObject("feed").getJsonNumber("ticks").longValue());
        assertEquals(7, json.getJsonObject("connections").getInt("open"));
        assertEquals(20_000, json.getJsonObject("connections").getInt("max"));

        nanos.addAndGet(10 * SECOND);
        assertEquals(200, health.report().httpStatus(), "10 s is still allowed");
        nanos.addAndGet(1);
        Health.Report down = health.report();
        assertEquals(503, down.httpStatus());
        assertEquals("DOWN", down.toJson().getString("status"));
        assertEquals("STALLED", down.toJson().getJsonObject("feed").getString("state"));
        assertEquals(10_000, down.lastTickAgeMillis());

        feed.onQuote(tick(wallMillis.get()));
        assertEquals(200, health.report().httpStatus(), "up again with the next tick");
    }

    @Test
    void aFeedThatNeverTickedIsDownOnceTheAllowedAgeHasPassedSinceTheStart() {
        assertEquals(200, health.report().httpStatus(), "just started");
        nanos.addAndGet(11 * SECOND);
        assertEquals(503, health.report().httpStatus());
    }
}
