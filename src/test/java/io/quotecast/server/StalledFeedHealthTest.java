package io.quotecast.server;

import io.quotecast.testing.Eventually;
import io.quotecast.testing.PrometheusText;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.RunningServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static io.quotecast.server.HealthAndMetricsTest.get;
import static io.quotecast.server.HealthAndMetricsTest.json;
import static io.quotecast.server.HealthAndMetricsTest.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A load balancer's health check sees a node whose feed stopped as DOWN, and stops sending it clients. */
@RealParts
class StalledFeedHealthTest {

    @Test
    void healthAnswers503OnceTheFeedHasStopped() throws Exception {
        try (RunningServer stopped = RunningServer.start("feed.ticksPerSecond", "500", "health.maxTickAgeSeconds", "1")) {
            assertEquals(200, get(stopped.page("/health")).statusCode());
            stopped.server().quotecast().feed().close();
            Eventually.await("/health answers 503", () -> status(stopped.page("/health")) == 503);
            JsonObject health = json(get(stopped.page("/health")));
            assertEquals("DOWN", health.getString("status"), health.toString());
            assertEquals("STALLED", health.getJsonObject("feed").getString("state"));
            assertTrue(health.getJsonObject("feed").getJsonNumber("lastTickAgeMillis").longValue() >= 1_000);
        }
    }
}
