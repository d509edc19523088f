package io.quotecast.web;

import io.quotecast.Quotecast;
import io.quotecast.ops.Health;
import jakarta.json.Json;
import jakarta.json.JsonWriter;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** {@code /health} under the WAR's context path: JSON, 200 while the feed ticks, 503 once it has stalled. */
@WebServlet(urlPatterns = "/health")
public class HealthServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Quotecast quotecast = QuotecastWebListener.running(getServletContext());
        if (quotecast == null) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Quotecast is not running");
            return;
        }
        Health.Report report = quotecast.operations().health().report();
        response.setStatus(report.httpStatus());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        try (JsonWriter writer = Json.createWriter(response.getWriter())) {
            writer.writeObject(report.toJson());
        }
    }
}
