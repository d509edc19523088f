package io.quotecast.cluster;

import io.quotecast.testing.NodeProcess;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.RunningServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Broker settings that cannot work stop the node at start with an error naming them, within seconds, never a hang. */
@RealParts
class BadBrokerSettingsTest {

    private static final Duration PROMPTLY = Duration.ofSeconds(15);

    @Test
    void aSubscriberWhoseBrokerIsNotThereStopsAtStartNamingTheUrl() {
        String url = "tcp://127.0.0.1:" + NodeProcess.freePort();
        IllegalStateException e = assertTimeoutPreemptively(PROMPTLY, () -> assertThrows(IllegalStateException.class,
                () -> RunningServer.start("feed.mode", "subscribe", "broker.url", url)));
        assertTrue(e.getMessage().contains("broker.url=" + url) && e.getMessage().contains("cannot connect"), e.getMessage());
    }

    @Test
    void aPublisherWhoseBrokerIsNotThereStopsAtStartNamingTheUrl() {
        String url = "tcp://127.0.0.1:" + NodeProcess.freePort();
        IllegalStateException e = assertTimeoutPreemptively(PROMPTLY, () -> assertThrows(IllegalStateException.class,
                () -> RunningServer.start("feed.mode", "publish", "broker.url", url)));
        assertTrue(e.getMessage().contains("feed.mode=publish") && e.getMessage().contains(url), e.getMessage());
    }

    @Test
    void aBrokerUrlThatIsNoUrlStopsTheStart() {
        RuntimeException e = assertTimeoutPreemptively(PROMPTLY, () -> assertThrows(RuntimeException.class,
                () -> RunningServer.start("feed.mode", "subscribe", "broker.url", "localhost 61616")));
        assertTrue(e.getMessage().contains("broker.url"), e.getMessage());
    }

    @Test
    void anUnknownFeedModeStopsTheStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunningServer.start("feed.mode", "broadcast"));
        assertTrue(e.getMessage().contains("feed.mode") && e.getMessage().contains("broadcast"), e.getMessage());
    }

    @Test
    void anEmbeddedBrokerOnANodeThatDoesNotPublishStopsTheStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunningServer.start("feed.mode", "subscribe", "broker.embedded", "true"));
        assertTrue(e.getMessage().contains("broker.embedded"), e.getMessage());
    }

    @Test
    void aServerCanStartAfterARefusedOne() {
        String url = "tcp://127.0.0.1:" + NodeProcess.freePort();
        assertThrows(IllegalStateException.class, () -> RunningServer.start("feed.mode", "subscribe", "broker.url", url));
        try (RunningServer server = RunningServer.start()) {
            assertTrue(server.port() > 0, "nothing of the refused start is left running");
        }
    }
}
