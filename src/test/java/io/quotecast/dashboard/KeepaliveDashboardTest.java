package io.quotecast.dashboard;

import io.quotecast.ops.Keepalive;
import io.quotecast.testing.Eventually;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Chromium answers the server's keepalive pings by itself: the dashboard stays connected through many of them. */
@RealParts
class KeepaliveDashboardTest {

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "200",
            "connection.pingSeconds", "1", "connection.pongTimeoutSeconds", "1");

    @Test
    void theBrowserAnswersPingsAndStaysConnected() {
        Chromium.console(CHROMIUM.driver()); // drain what pages of earlier test classes logged
        Dashboard page = new Dashboard(CHROMIUM.driver()).open(server.page("/"));
        page.waitLive(50);
        Keepalive keepalive = server.server().quotecast().operations().keepalive();
        long pings = keepalive.pingsSent();
        Eventually.await("five more pings sent to the page", () -> keepalive.pingsSent() >= pings + 5, Duration.ofSeconds(20));
        assertEquals("live", page.state());
        assertEquals(1L, page.stat("connects"), "never reconnected: every ping answered in time " + page.stats());
        assertEquals(0L, page.stat("closes"), page.stats().toString());
        assertEquals(List.of(), Chromium.errors(Chromium.console(page.driver)));
    }
}
