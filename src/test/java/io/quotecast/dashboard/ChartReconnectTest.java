package io.quotecast.dashboard;

import io.quotecast.market.Bar;
import io.quotecast.market.BarInterval;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart across a network outage: the browser goes offline (Chromium's network emulation), the
 * server goes on building bars, and when the network is back the chart has every bar of the hole,
 * from `history`, while `since` resumes the table.
 */
@RealParts
class ChartReconnectTest {

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "200");

    Dashboard page;

    @AfterEach
    void online() {
        network(false);
    }

    @Test
    void aReconnectFillsTheChartsHoleFromHistory() {
        page = new Dashboard(CHROMIUM.driver()).open(server.page("/"));
        page.waitLive(50);
        page.driver.findElement(By.cssSelector("#rows tr[data-symbol='ACME']")).click();
        page.wait.withMessage(() -> "ACME's chart drawn: " + chart()).until(d -> chart().get("drawn") != null);

        network(true);
        page.js("window.quotecast.reconnectNow()"); // the outage: the socket goes, and no new one can open
        long lastBefore = lastCandle();
        int acme = server.server().quotecast().hub().catalog().indexOf("ACME");
        page.wait.withMessage("the server builds 4 bars the page does not see")
                .until(d -> server.server().quotecast().bars().bars(acme, BarInterval.SECOND, 1).get(0).start() >= lastBefore + 4000);
        assertTrue(!"live".equals(page.state()), "no connection while offline: " + page.state());
        assertTrue(lastCandle() < lastBefore + 4000, "no candle drawn for the hole yet");

        network(false);
        page.wait.withMessage(() -> "live again, and the chart asked its history again: " + chart())
                .until(d -> "live".equals(page.state()) && ((Number) chart().get("answers")).longValue() >= 2);
        List<Bar> server1s = server.server().quotecast().bars().bars(acme, BarInterval.SECOND, 300);
        long holeFrom = lastBefore, holeTo = lastBefore + 4000;
        Set<Long> expected = server1s.stream().map(Bar::start).filter(t -> t > holeFrom && t <= holeTo).collect(Collectors.toSet());
        page.wait.withMessage(() -> "every bar of the hole " + expected + " drawn: " + chart().get("times"))
                .until(d -> times().containsAll(expected));
        assertTrue(expected.size() >= 3, "a hole of several bars: " + expected);
        page.wait.withMessage(() -> "the table resumed with since: " + page.stats()).until(d -> page.stat("resumed") >= 1);
        assertEquals(List.of(), Chromium.errors(Chromium.console(page.driver)).stream()
                .filter(m -> !m.contains("/quotes' failed")).toList(), "browser console errors besides the refused reconnects");
    }

    private long lastCandle() {
        @SuppressWarnings("unchecked")
        List<Number> times = (List<Number>) chart().get("times");
        return times.get(times.size() - 1).longValue();
    }

    private Set<Long> times() {
        @SuppressWarnings("unchecked")
        List<Number> times = (List<Number>) chart().get("times");
        return times.stream().map(Number::longValue).collect(Collectors.toSet());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> chart() {
        return (Map<String, Object>) page.js("return window.quotecast.chart");
    }

    private void network(boolean offline) {
        var d = CHROMIUM.driver();
        d.executeCdpCommand("Network.enable", Map.of());
        d.executeCdpCommand("Network.emulateNetworkConditions", Map.of(
                "offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    }
}
