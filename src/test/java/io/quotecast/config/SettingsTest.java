package io.quotecast.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SettingsTest {

    @Test
    void defaultsComeFromTheConfigFile() {
        Settings settings = Settings.load(name -> null);
        assertEquals(8080, settings.serverPort());
        assertEquals("0.0.0.0", settings.serverHost());
        assertEquals("config/symbols.csv", settings.feedSymbols());
        assertEquals(30_000, settings.stuckTimeoutMillis());
        assertEquals(30, settings.flushMillis());
        assertEquals(20, settings.maxMessagesPerSecond());
        assertEquals(20_000, settings.maxConnections());
        assertEquals(0, settings.maxConnectionsPerAddress(), "off: behind a load balancer everyone shares an address");
        assertEquals(0, settings.maxHandshakesPerAddressPerSecond());
        assertEquals(java.util.List.of(), settings.trustedProxies());
        assertEquals(25, settings.pingSeconds());
        assertEquals(10, settings.pongTimeoutSeconds());
        assertEquals(-1, settings.managementPort());
        assertEquals(true, settings.metricsEnabled());
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
        assertEquals(true, e.getMessage().contains("eighty"), e.getMessage());
    }
}
