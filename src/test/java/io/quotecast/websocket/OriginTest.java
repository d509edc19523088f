package io.quotecast.websocket;

import io.quotecast.testing.RawHttp;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Origin check at the handshake of the standalone server, with tokens off (the default). */
@RealParts
class OriginTest {

    static final String PARTNER = "https://trading.example.com";

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("security.allowedOrigins", PARTNER + ", http://localhost:1");

    @Test
    void aForeignOriginIsRefusedWith403() {
        RawHttp response = RawHttp.handshake(server.port(), "/quotes", Map.of("Origin", "https://evil.example"));
        assertEquals(403, response.status(), response.toString());
    }

    @Test
    void theServersOwnOriginIsAllowed() {
        RawHttp response = RawHttp.handshake(server.port(), "/quotes", Map.of("Origin", "http://127.0.0.1:" + server.port()));
        assertEquals(101, response.status(), response.toString());
    }

    @Test
    void theSameHostOnAnotherPortIsForeign() {
        RawHttp response = RawHttp.handshake(server.port(), "/quotes", Map.of("Origin", "http://127.0.0.1:" + (server.port() + 1)));
        assertEquals(403, response.status(), response.toString());
    }

    @Test
    void anOriginListedInTheSettingIsAllowed() {
        try (TestClient client = TestClient.connect(server.stream(), Map.of("Origin", PARTNER))) {
            client.next("hello");
        }
    }

    @Test
    void aClientSendingNoOriginIsAllowed() {
        try (TestClient client = server.connect()) {
            client.next("hello");
        }
    }

    @Test
    void theNullOriginOfASandboxedPageIsRefused() {
        RawHttp response = RawHttp.handshake(server.port(), "/quotes", Map.of("Origin", "null"));
        assertEquals(403, response.status(), response.toString());
    }
}
