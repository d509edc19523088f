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

/** management.port and metrics.enabled: where /health and /metrics are served, if at all. */
@RealParts
class ManagementPortTest {

    @Test
    void managementPortMovesHealthAndMetricsToTheirOwnLoopbackListener() throws Exception {
        try (RunningServer managed = RunningServer.start("management.port", "0")) {
            int port = managed.server().managementPort();
            assertTrue(port != managed.port(), "a port of its own");
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            assertEquals(200, get(health).statusCode());
            assertTrue(PrometheusText.parse(get(URI.create("http://127.0.0.1:" + port + "/metrics")).body())
                    .has("quotecast_connections_open"));
            assertEquals(404, get(managed.page("/health")).statusCode(), "not on the public port");
            assertEquals(404, get(managed.page("/metrics")).statusCode(), "not on the public port");
            assertEquals(200, get(managed.page("/")).statusCode(), "the dashboard stays where it was");
        }
    }

    @Test
    void withMetricsOffThereIsNoMetricsPage() throws Exception {
        try (RunningServer off = RunningServer.start("metrics.enabled", "false")) {
            assertEquals(404, get(off.page("/metrics")).statusCode());
            assertEquals(200, get(off.page("/health")).statusCode(), "health does not depend on metrics");
        }
    }
}
