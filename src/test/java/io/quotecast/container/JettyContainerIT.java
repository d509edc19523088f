package io.quotecast.container;

import io.quotecast.testing.TestClient;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped WAR on Jetty 12 ee10 (Servlet 6.0, Jetty's Jakarta WebSocket): everything {@link ContainerChecks} checks.
 * Runs in the failsafe execution {@code it-jetty} only, on a server started by
 * {@link io.quotecast.container.dropin.DropInContainer}.
 */
class JettyContainerIT extends ContainerChecks {

    /** Jetty's own path: the core session, reached from the Jakarta session. */
    @Override
    String expectedWritePath() {
        return "jetty-core";
    }

    /** A servlet container: no JSON-P of its own, so the application uses the WAR's (the WAR carries it for this). */
    @Override
    boolean serverHasJsonP() {
        return false;
    }

    /**
     * Jetty upgrades a WebSocket request in a filter of its own that it puts ahead of every filter of the
     * WAR, so the WAR's handshake filter never sees it and cannot answer 401 or 403. The same decision is
     * then the handshake configurator's (the same Admission), and Jakarta WebSocket gives a configurator
     * no way to fail a handshake with a status: the client gets the upgrade and at once close 1008 with
     * the refusal's reason, before any frame of the stream. docs/deploy.md says so.
     */
    @Override
    void assertRefusedAtTheHandshake(String pathAndQuery, Map<String, String> headers, int status, String reason) {
        Map<String, String> sent = new java.util.HashMap<>(headers);
        java.net.URI uri = java.net.URI.create("ws://127.0.0.1:" + SERVER.httpPort + ApplicationServer.CONTEXT + pathAndQuery);
        try (TestClient client = TestClient.connect(uri, sent)) {
            assertEquals(1008, client.awaitClose(), "refused right after the handshake");
            assertTrue(client.closeReason().contains(reason), client.closeReason());
        }
    }
}
