package io.quotecast.dashboard;

import io.quotecast.testing.RealParts;
import io.quotecast.testing.RunningServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page open while its server goes away and comes back on the same port. */
@RealParts
class ServerRestartTest {

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    RunningServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void reconnectsByItselfAfterAServerRestartAndKeepsUpdating() {
        server = RunningServer.start("feed.ticksPerSecond", "200");
        int port = server.port();
        Dashboard page = new Dashboard(CHROMIUM.driver()).open(server.page("/"));
        page.waitLive(50);
        // Every row's first history answered before the restart, so that what is asked after it is told apart.
        page.wait.withMessage(() -> "history answers for every row: " + page.stats())
                .until(d -> page.stat("historyReplies") >= 50);
        page.js("window.__samePage = true");
        Chromium.console(page.driver); // drain: only what happens from the restart on is judged below

        server.close();
        server = null;
        page.waitState("reconnecting");
        assertFalse(page.driver.findElement(By.id("retry")).getAttribute("hidden") != null, "Retry now is offered");
        String detail = page.driver.findElement(By.id("status-detail")).getText();
        assertTrue(detail.contains("last tick"), "the time of the last tick is shown while down: " + detail);
        Chromium.screenshot(page.driver, "desktop-light-reconnecting");
        long connects = page.stat("connects");
        page.wait.withMessage(() -> "a retry refused while the server is down: " + page.stats())
                .until(d -> page.stat("connects") > connects && page.stat("closes") >= connects + 1);
        assertEquals("reconnecting", page.state(), "still reconnecting after a refused retry");

        server = RunningServer.start("feed.ticksPerSecond", "200", "server.port", String.valueOf(port));
        page.waitState("live");
        long tickAfterRestart = ((Number) page.js("return Date.now()")).longValue();
        page.wait.withMessage(() -> "ticks after the restart: " + page.stats())
                .until(d -> ((Number) page.js("return window.quotecast.lastTickAt")).longValue() > tickAfterRestart);
        Map<String, Object> first = page.shownPrices();
        page.wait.withMessage("prices keep changing on screen")
                .until(d -> page.shownPrices().entrySet().stream()
                        .filter(e -> !e.getValue().equals(first.get(e.getKey()))).count() >= 5);
        assertEquals(Boolean.TRUE, page.js("return window.__samePage"), "the page was not reloaded");
        // The restarted feed is a new run: each row that resumes into a gap asks its history again (one
        // gap per row on the one resubscribe), paced below the server's message rate, and gets an
        // answer (with no bars yet for a symbol whose first second has not closed on the new server).
        page.wait.withMessage(() -> "the history of every row with a gap asked again: " + page.stats())
                .until(d -> page.stat("historyReplies") >= 50 + page.stat("gaps"));
        assertEquals(0L, page.stat("errors"), "never rate_limited, even resuming 50 symbols at once: " + page.stats());

        // Chrome itself logs every refused handshake while the server is down; the page cannot prevent that.
        // Those, and only those, are expected here.
        List<String> all = Chromium.errors(Chromium.console(page.driver));
        String refused = "WebSocket connection to 'ws://127.0.0.1:" + port + "/quotes' failed";
        System.out.println("console errors ignored while the server was down: "
                + all.stream().filter(m -> m.contains(refused)).toList());
        List<String> errors = all.stream().filter(m -> !m.contains(refused)).toList();
        assertEquals(List.of(), errors, "browser console errors other than refused reconnects");
    }
}
