package io.quotecast.dashboard;

import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 1008 that is not about the token is not final. A server that takes one message a second closes
 * the page's connection with 1008 ("messages kept coming above the rate limit") each time it asks
 * its first history burst: the page must keep reconnecting by itself, as it does for a stuck
 * connection's 1008, and never say "Offline" with a refusal.
 */
@RealParts
class StuckCloseDashboardTest {

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("connection.maxMessagesPerSecond", "1");

    @Test
    void aPolicyCloseForTheConnectionsBehaviourReconnectsByItself() {
        Dashboard page = new Dashboard(CHROMIUM.driver()).open(server.page("/"));
        page.wait.withMessage(() -> "closed with 1008 and reconnected twice by itself: " + page.stats())
                .until(d -> page.stat("connects") >= 3 && lastCloseCode(page) == 1008);
        @SuppressWarnings("unchecked")
        Map<String, Object> close = (Map<String, Object>) page.stats().get("lastClose");
        assertTrue(String.valueOf(close.get("reason")).contains("rate limit"), close.toString());
        assertNotEquals("offline", page.state(), "not given up");
        assertTrue(List.of("live", "reconnecting").contains(page.state()), page.state());
        String notice = page.driver.findElement(By.id("notice")).getAttribute("data-code");
        assertNotEquals("refused", notice, "no refusal said: " + page.driver.findElement(By.id("notice")).getText());
        assertEquals(List.of(), Chromium.errors(Chromium.console(page.driver)), "browser console errors");
        page.driver.get("about:blank"); // it would go on reconnecting through the next class's tests
    }

    private static long lastCloseCode(Dashboard page) {
        Object close = page.stats().get("lastClose");
        return close instanceof Map<?, ?> m && m.get("code") instanceof Number n ? n.longValue() : -1;
    }
}
