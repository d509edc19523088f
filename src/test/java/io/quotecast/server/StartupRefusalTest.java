package io.quotecast.server;

import io.quotecast.testing.RealParts;
import io.quotecast.testing.RunningServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings that would make tokens forgeable or unverifiable stop the server before it listens. */
@RealParts
class StartupRefusalTest {

    @Test
    void aTokenSecretShorterThan32BytesStopsTheStartWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunningServer.start("security.tokens", "required", "security.tokenSecret", "too-short"));
        assertTrue(e.getMessage().contains("security.tokenSecret is 9 bytes") && e.getMessage().contains("at least 32"), e.getMessage());
    }

    @Test
    void tokensRequiredWithNoSecretAndNoKeyStopsTheStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunningServer.start("security.tokens", "required"));
        assertTrue(e.getMessage().contains("security.tokenSecret") && e.getMessage().contains("security.tokenPublicKey"), e.getMessage());
    }

    @Test
    void anUnknownTokenModeStopsTheStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunningServer.start("security.tokens", "yes"));
        assertTrue(e.getMessage().contains("security.tokens"), e.getMessage());
    }

    @Test
    void aKeystoreThatCannotBeOpenedStopsTheStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RunningServer.start("server.tls.keystore", "/nonexistent/quotecast.p12", "server.tls.password", "x"));
        assertTrue(e.getMessage().contains("cannot start") || e.getMessage().contains("server.tls.keystore"), e.getMessage());
    }
}
