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
