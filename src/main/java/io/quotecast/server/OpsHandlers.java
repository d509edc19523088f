package io.quotecast.server;

import io.quotecast.ops.Health;
import io.quotecast.ops.Operations;
import jakarta.json.Json;
import jakarta.json.JsonWriter;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.server.ServerConfiguration;

import java.io.IOException;
import java.io.Writer;
import java.util.Map;

/** The standalone server's {@code /health} and {@code /metrics}, on whichever listener serves them. */
final class OpsHandlers {

    static final String HEALTH = "/health";
    static final String METRICS = "/metrics";

    private OpsHandlers() {
    }

    static void addTo(ServerConfiguration configuration, Operations operations) {
        routes(operations).forEach((path, handler) -> configuration.addHttpHandler(handler, path));
    }

    /** The handlers by their exact path. */
    static Map<String, HttpHandler> routes(Operations operations) {
        return Map.of(HEALTH, new HealthHandler(operations), METRICS, new MetricsHandler(operations));
    }

    /** JSON, 200 while the feed ticks, 503 once it has stalled. */
    private static final class HealthHandler extends HttpHandler {

        private final Operations operations;

        HealthHandler(Operations operations) {
            this.operations = operations;
        }

        @Override
        public void service(Request request, Response response) throws IOException {
            Health.Report report = operations.health().report();
            response.setStatus(report.httpStatus());
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-store");
            try (JsonWriter writer = Json.createWriter(response.getWriter())) {
                writer.writeObject(report.toJson());
            }
        }
    }

    /** Prometheus text, as Micrometer writes it; 404 where metrics are off. */
    private static final class MetricsHandler extends HttpHandler {

        private final Operations operations;

        MetricsHandler(Operations operations) {
            this.operations = operations;
        }

        @Override
        public void service(Request request, Response response) throws IOException {
            if (operations.prometheus().isEmpty()) {
                response.sendError(404, "metrics.enabled is false");
                return;
            }
            String text = operations.prometheus().get().scrape();
            response.setContentType(Operations.PROMETHEUS_CONTENT_TYPE);
            response.setHeader("Cache-Control", "no-store");
            try (Writer writer = response.getWriter()) {
                writer.write(text);
            }
        }
    }
}
