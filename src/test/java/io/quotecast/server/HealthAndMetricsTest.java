package io.quotecast.server;

import io.quotecast.testing.Eventually;
import io.quotecast.testing.PrometheusText;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /health and /metrics of the standalone server, read over HTTP as a load balancer and Prometheus would
 * (HTTP/1.1: Grizzly drops the response headers of a request offering an h2c upgrade, which the JDK's
 * client sends by default and neither of those does).
 */
@RealParts
class HealthAndMetricsTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "500", "health.maxTickAgeSeconds", "1");

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TestClient.TIMEOUT).build();

    @Test
    void healthIsUpWithTheFeedsStateAndTheConnectionCount() throws Exception {
        try (TestClient client = TestClient.connect(server.stream("?symbols=ACME"))) {
            client.next(quoteOf("ACME"));
            HttpResponse<String> response = get(server.page("/health"));
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            JsonObject health = json(response);
            assertEquals("UP", health.getString("status"), health.toString());
            assertEquals("RUNNING", health.getJsonObject("feed").getString("state"));
            assertTrue(health.getJsonObject("feed").getJsonNumber("lastTickAgeMillis").longValue() < 1_000, health.toString());
            assertTrue(health.getJsonObject("connections").getInt("open") >= 1, health.toString());
            assertEquals(server.server().quotecast().settings().server().maxConnections(), health.getJsonObject("connections").getInt("max"),
                    "the limit in force (auto: derived from this process's limits)");
        }
    }

    @Test
    void metricsAreValidPrometheusTextWithEveryNamedSeries() throws Exception {
        try (TestClient client = TestClient.connect(server.stream("?symbols=ACME,GLOBX"))) {
            client.next(quoteOf("ACME"));
            client.next(quoteOf("GLOBX"));
            try (TestClient closing = server.connect()) {
                closing.next("hello");
            }
            Eventually.await("the closed client counted", () -> scrape().has("quotecast_closes_total", "code=\"1000\""));
            PrometheusText metrics = scrape();
            assertTrue(metrics.value("quotecast_connections_open") >= 1, metrics.toString());
            assertTrue(metrics.value("quotecast_connections_accepted_total") >= 2);
            for (String reason : new String[] {"max_connections", "max_connections_per_address", "max_handshakes_per_address"}) {
                assertEquals(0, metrics.value("quotecast_connections_refused_total", "reason=\"" + reason + "\""));
            }
            assertTrue(metrics.value("quotecast_subscriptions") >= 2);
            assertTrue(metrics.value("quotecast_quotes_sent_total") >= 2);
            assertTrue(metrics.value("quotecast_frames_sent_total") >= 4, "hello, subscribed and quotes");
            assertTrue(metrics.value("quotecast_bytes_sent_total") > 100);
            assertTrue(metrics.value("quotecast_quotes_conflated_total") >= 0);
            assertTrue(metrics.value("quotecast_frames_queued") >= 0);
            assertTrue(metrics.value("quotecast_messages_rate_limited_total") >= 0);
            assertTrue(metrics.value("quotecast_feed_ticks_total") > 50, "the opening quotes and then some");
            assertTrue(metrics.value("quotecast_keepalive_pings_total") >= 0);
            assertEquals(0, metrics.value("quotecast_keepalive_closes_total", "reason=\"no_pong\""));
            assertEquals(0, metrics.value("quotecast_keepalive_closes_total", "reason=\"idle\""));
            assertTrue(metrics.value("quotecast_feed_lag_seconds") >= 0);
            assertTrue(metrics.value("quotecast_feed_last_tick_age_seconds") < 1);
            assertTrue(metrics.value("quotecast_closes_total", "code=\"1000\"") >= 1);
            // and the JVM's, as Micrometer binds them
            assertTrue(metrics.has("jvm_memory_used_bytes", "area=\"heap\""), metrics.toString());
            assertTrue(metrics.value("jvm_threads_live_threads") > 0);
            assertTrue(metrics.has("jvm_gc_memory_allocated_bytes_total"));
            assertTrue(metrics.value("process_uptime_seconds") > 0);
            assertTrue(metrics.value("system_cpu_count") > 0);
        }
    }

    /** connection.writePath=auto: the standalone server's own Tyrus path, not a silent fallback to the portable one. */
    @Test
    void connectionsTakeTheStandaloneServersAcceleratedWritePath() {
        try (TestClient client = TestClient.connect(server.stream("?symbols=ACME"))) {
            client.next(quoteOf("ACME"));
            PrometheusText metrics = scrape();
            assertTrue(metrics.value("quotecast_connections_write_path_total", "path=\"tyrus-grizzly\"") >= 1, metrics.toString());
            assertFalse(metrics.has("quotecast_connections_write_path_total", "path=\"portable\""), metrics.toString());
        }
    }

    static PrometheusText scrape() {
        try {
            HttpResponse<String> response = get(server.page("/metrics"));
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                    response.headers().toString());
            return PrometheusText.parse(response.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static int status(URI uri) {
        try {
            return get(uri).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(TestClient.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }
}
