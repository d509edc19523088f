package io.quotecast.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quotecast.Quotecast;
import io.quotecast.ops.Operations;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Optional;

/** {@code /metrics} under the WAR's context path: Prometheus text, as Micrometer writes it; 404 where metrics are off. */
@WebServlet(urlPatterns = "/metrics")
public class MetricsServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Quotecast quotecast = QuotecastWebListener.running(getServletContext());
        Optional<PrometheusMeterRegistry> registry = quotecast == null ? Optional.empty() : quotecast.operations().prometheus();
        if (registry.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "metrics are off");
            return;
        }
        String text = registry.get().scrape();
        response.setContentType(Operations.PROMETHEUS_CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(text);
    }
}
