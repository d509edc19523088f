package io.quotecast.websocket;

import io.quotecast.Quotecast;
import io.quotecast.config.Settings;
import io.quotecast.testing.RawHttp;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.TestClient;
import io.quotecast.testing.Tokens;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoint in a container with no filter of ours in front: Tyrus's own standalone server, as a
 * server that cannot answer a handshake with our status would be. The handshake configurator alone
 * must keep refused clients from seeing anything: they are closed with 1008 before the first frame.
 */
@RealParts
class ConfiguratorBackstopTest {

    static Quotecast quotecast;
    static TyrusServerContainer tyrus;

    /** Tyrus's own Grizzly server on a free port, with the endpoint's configuration as the WAR's listener deploys it. */
    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("security.tokens", "required", "security.tokenSecret", Tokens.SECRET));
        quotecast = Quotecast.start(Settings.with(settings), new QuoteEncoder());
        tyrus = (TyrusServerContainer) ServerContainerFactory.createServerContainer(Map.of());
        tyrus.addEndpoint(QuoteEndpoint.config(quotecast, SessionSinks.portable(30_000, Runnable::run)));
        tyrus.start("/", 0);
    }

    @AfterAll
    static void stop() {
        if (tyrus != null) {
            tyrus.stop();
        }
        if (quotecast != null) {
            quotecast.close();
        }
    }

    @Test
    void aHandshakeWithoutATokenIsClosedWith1008BeforeAnyFrame() {
        RawHttp response = RawHttp.handshake(tyrus.getPort(), "/quotes?symbols=ACME", Map.of());
        assertFirstFrameIsClose1008(response, "no token");
    }

    @Test
    void aForeignOriginIsClosedWith1008BeforeAnyFrame() {
        RawHttp response = RawHttp.handshake(tyrus.getPort(), "/quotes?symbols=ACME",
                Map.of("Origin", "https://evil.example", "Authorization", "Bearer " + Tokens.valid("ann")));
        assertFirstFrameIsClose1008(response, "origin not allowed");
    }

    @Test
    void aValidTokenIsServed() {
        try (TestClient client = TestClient.connect(URI.create("ws://127.0.0.1:" + tyrus.getPort() + "/quotes?symbols=ACME"),
                Map.of("Authorization", "Bearer " + Tokens.valid("ann")))) {
            assertEquals("ann", client.next("hello").getString("user"));
            client.next(TestClient.quoteOf("ACME"));
        }
    }

    private static void assertFirstFrameIsClose1008(RawHttp response, String reason) {
        assertEquals(101, response.status(), "Tyrus upgrades: it has no way to hear of our refusal");
        String frames = response.body();
        assertTrue(frames.length() >= 4 && (frames.charAt(0) & 0x0F) == 8, "the first frame is a close: " + response);
        assertEquals(1008, (frames.charAt(2) << 8) | frames.charAt(3));
        assertEquals(reason, frames.substring(4, 2 + (frames.charAt(1) & 0x7F)));
    }
}
