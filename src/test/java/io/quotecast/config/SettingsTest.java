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
        assertEquals(8080, settings.server().port());
        assertEquals("0.0.0.0", settings.server().host());
        assertEquals("config/symbols.csv", settings.feed().symbols());
        assertEquals(30_000, settings.connection().stuckTimeoutMillis());
        assertEquals(3, settings.connection().flushMillis());
        assertEquals(20, settings.connection().maxMessagesPerSecond());
        assertTrue(settings.server().connectionBudget().automatic(), "auto: from the process's own limits");
        assertEquals(ConnectionBudget.automatic(ConnectionBudget.processOpenFileLimit(), Runtime.getRuntime().maxMemory()).maxConnections(),
                settings.server().maxConnections());
        assertEquals(10, settings.server().handshakeTimeoutSeconds());
        assertEquals(64, settings.server().maxUnfinishedHandshakesPerAddress());
        assertEquals(0, settings.server().maxConnectionsPerAddress(), "off: behind a load balancer everyone shares an address");
        assertEquals(0, settings.server().maxHandshakesPerAddressPerSecond());
        assertEquals(java.util.List.of(), settings.server().trustedProxies());
        assertEquals(25, settings.connection().pingSeconds());
        assertEquals(10, settings.connection().pongTimeoutSeconds());
        assertEquals(-1, settings.monitoring().managementPort());
        assertEquals(true, settings.monitoring().metricsEnabled());
    }

    @Test
    void writesThroughAContainersStackGatherOverTheirOwnLongerWindow() {
        Settings settings = Settings.with(Map.of());
        assertEquals(20, settings.connection().flushMillis(true));
        assertEquals(3, settings.connection().flushMillis(false));
    }

    @Test
    void aNumberForMaxConnectionsIsTheOperatorsAndNotDerived() {
        Settings settings = Settings.with(Map.of("server.maxConnections", "1234"));
        assertEquals(1234, settings.server().maxConnections());
        assertEquals(false, settings.server().connectionBudget().automatic());
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
                Settings.with(Map.of("server.trustedProxies", " 10.0.0.1, 192.168.0.0/16 ,")).server().trustedProxies());
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
            assertEquals(1234, Settings.load().feed().ticksPerSecond());
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
        assertEquals(TokenMode.OFF, settings.security().tokens());
        assertEquals(java.util.List.of(), settings.security().allowedOrigins());
        assertEquals(java.util.List.of("*"), settings.security().anonymousSymbols());
        assertEquals("", settings.server().tls().keystore());
    }

    @Test
    void commaListsAreSplitAndTrimmed() {
        Settings settings = Settings.with(Map.of("security.allowedOrigins", " https://a.example , https://b.example:8443,",
                "security.anonymousSymbols", "ACME, GLOBX"));
        assertEquals(java.util.List.of("https://a.example", "https://b.example:8443"), settings.security().allowedOrigins());
        assertEquals(java.util.List.of("ACME", "GLOBX"), settings.security().anonymousSymbols());
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
        assertEquals(FeedMode.LOCAL, settings.feed().mode());
        assertEquals("tcp://localhost:61616", settings.broker().url());
        assertEquals("quotecast.ticks", settings.broker().address());
        assertEquals(false, settings.broker().embedded());
    }

    @Test
    void theBrokerPasswordIsNeverShownBySettingsToString() {
        Settings settings = Settings.with(Map.of("broker.password", "broker-password-not-for-logs"));
        assertEquals("broker-password-not-for-logs", settings.broker().password());
        assertTrue(!settings.toString().contains("broker-password-not-for-logs"), settings.toString());
    }

    @Test
    void aModeIsReadFromItsEnumConstantsNameInLowerCase() {
        Settings settings = Settings.with(Map.of("feed.mode", "subscribe", "security.tokens", "optional",
                "connection.writePath", "portable"));
        assertEquals(FeedMode.SUBSCRIBE, settings.feed().mode());
        assertEquals(TokenMode.OPTIONAL, settings.security().tokens());
        assertEquals(WritePath.PORTABLE, settings.connection().writePath());
    }

    @Test
    void anUnknownModeIsRefusedByNameWithTheValuesItTakes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.with(Map.of("feed.mode", "both")));
        assertEquals("feed.mode must be one of [local, publish, subscribe], not 'both'", e.getMessage());
    }

    @Test
    void anEmbeddedBrokerIsRefusedOnANodeThatDoesNotPublish() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.with(Map.of("broker.embedded", "true", "feed.mode", "subscribe")));
        assertTrue(e.getMessage().contains("broker.embedded") && e.getMessage().contains("feed.mode=publish"), e.getMessage());
    }
}
