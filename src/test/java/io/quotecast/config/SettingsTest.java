package io.quotecast.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {

    @Test
    void defaultsComeFromTheConfigFile() {
        Settings settings = Settings.load(name -> null);
        assertEquals(8080, settings.serverPort());
        assertEquals("0.0.0.0", settings.serverHost());
        assertEquals("config/symbols.csv", settings.feedSymbols());
        assertEquals(30_000, settings.stuckTimeoutMillis());
        assertEquals(3, settings.flushMillis());
        assertEquals(20, settings.maxMessagesPerSecond());
        assertTrue(settings.connectionBudget().automatic(), "auto: from the process's own limits");
        assertEquals(ConnectionBudget.automatic(ConnectionBudget.processOpenFileLimit(), Runtime.getRuntime().maxMemory()).maxConnections(),
                settings.maxConnections());
        assertEquals(10, settings.handshakeTimeoutSeconds());
        assertEquals(64, settings.maxUnfinishedHandshakesPerAddress());
        assertEquals(0, settings.maxConnectionsPerAddress(), "off: behind a load balancer everyone shares an address");
        assertEquals(0, settings.maxHandshakesPerAddressPerSecond());
        assertEquals(java.util.List.of(), settings.trustedProxies());
        assertEquals(25, settings.pingSeconds());
        assertEquals(10, settings.pongTimeoutSeconds());
        assertEquals(-1, settings.managementPort());
        assertEquals(true, settings.metricsEnabled());
    }

    @Test
    void aNumberForMaxConnectionsIsTheOperatorsAndNotDerived() {
        Settings settings = Settings.with(Map.of("server.maxConnections", "1234"));
        assertEquals(1234, settings.maxConnections());
        assertEquals(false, settings.connectionBudget().automatic());
    }

    @Test
    void aBadMaxConnectionsIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.with(Map.of("server.maxConnections", "lots")));
        assertTrue(e.getMessage().contains("server.maxConnections"), e.getMessage());
    }

    @Test
    void trustedProxiesAreACommaSeparatedList() {
        assertEquals(java.util.List.of("10.0.0.1", "192.168.0.0/16"),
                Settings.with(Map.of("server.trustedProxies", " 10.0.0.1, 192.168.0.0/16 ,")).trustedProxies());
    }

    @Test
    void aFlushWindowOutsideZeroToOneSecondIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.with(Map.of("connection.flushMillis", "5000")));
        assertEquals(true, e.getMessage().contains("connection.flushMillis"), e.getMessage());
    }

    @Test
    void aSystemPropertyOfTheSameNameOverridesTheDefault() {
        String before = System.getProperty("feed.ticksPerSecond");
        System.setProperty("feed.ticksPerSecond", "1234");
        try {
            assertEquals(1234, Settings.load().feedTicksPerSecond());
        } finally {
            if (before == null) {
                System.clearProperty("feed.ticksPerSecond");
            } else {
                System.setProperty("feed.ticksPerSecond", before);
            }
        }
    }

    @Test
    void aSettingThatIsNotANumberIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.with(Map.of("server.port", "eighty")));
        assertTrue(e.getMessage().contains("server.port") && e.getMessage().contains("eighty"), e.getMessage());
    }

    @Test
    void securityIsOffByDefaultSoTheDemoStaysOpen() {
        Settings settings = Settings.load(name -> null);
        assertEquals("off", settings.tokens());
        assertEquals(java.util.List.of(), settings.allowedOrigins());
        assertEquals(java.util.List.of("*"), settings.anonymousSymbols());
        assertEquals("", settings.tlsKeystore());
    }

    @Test
    void commaListsAreSplitAndTrimmed() {
        Settings settings = Settings.with(Map.of("security.allowedOrigins", " https://a.example , https://b.example:8443,",
                "security.anonymousSymbols", "ACME, GLOBX"));
        assertEquals(java.util.List.of("https://a.example", "https://b.example:8443"), settings.allowedOrigins());
        assertEquals(java.util.List.of("ACME", "GLOBX"), settings.anonymousSymbols());
    }

    @Test
    void secretsAreNeverShownBySettingsToString() {
        Settings settings = Settings.with(Map.of("security.tokenSecret", "a-secret-that-must-not-be-logged-0123456789",
                "server.tls.password", "keystore-password"));
        assertEquals(false, settings.toString().contains("a-secret"), settings.toString());
        assertEquals(false, settings.toString().contains("keystore-password"), settings.toString());
    }

    @Test
    void aSecretNamingAMissingEnvironmentVariableIsRefusedByName() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Settings.with(Map.of("security.tokenSecret", "env:QUOTECAST_NO_SUCH_VARIABLE_IN_TESTS")));
        assertEquals(true, e.getMessage().contains("QUOTECAST_NO_SUCH_VARIABLE_IN_TESTS"), e.getMessage());
    }

    @Test
    void aNodeIsASingleLocalNodeByDefaultWithTheBrokerOfTheDocs() {
        Settings settings = Settings.load(name -> null);
        assertEquals("local", settings.feedMode());
        assertEquals("tcp://localhost:61616", settings.brokerUrl());
        assertEquals("quotecast.ticks", settings.brokerAddress());
        assertEquals(false, settings.brokerEmbedded());
    }

    @Test
    void theBrokerPasswordIsNeverShownBySettingsToString() {
        Settings settings = Settings.with(Map.of("broker.password", "broker-password-not-for-logs"));
        assertEquals("broker-password-not-for-logs", settings.brokerPassword());
        assertTrue(!settings.toString().contains("broker-password-not-for-logs"), settings.toString());
    }
}
