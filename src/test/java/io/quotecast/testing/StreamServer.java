package io.quotecast.testing;

import java.net.URI;

/**
 * A Quotecast server as a client sees it, standalone or the WAR on an application server: where its
 * stream is, and the settings it was started with that a behaviour's assertions depend on.
 */
public interface StreamServer {

    /** The stream URL with a query, e.g. {@code "?symbols=ACME"}, or {@code ""}. */
    URI stream(String query);

    /** A URL of the server's HTTP side, under its context path, e.g. {@code "/metrics"}. */
    URI page(String path);

    /** {@code feed.ticksPerSecond} of the server. */
    double ticksPerSecond();

    default TestClient connect(String... subprotocols) {
        return TestClient.connect(stream(""), subprotocols);
    }
}
