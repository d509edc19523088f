package io.quotecast.dashboard;

import io.quotecast.market.BarInterval;
import io.quotecast.market.BarHistory;
import io.quotecast.testing.Eventually;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard in Chromium against a real standalone server with a lively feed (4 ticks/s per symbol). */
@RealParts
class LiveDashboardTest {

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "200");
    Dashboard page;

    @BeforeEach
    void openPage() {
        page = new Dashboard(CHROMIUM.driver()).open(server.page("/"));
    }

    @AfterEach
    void noConsoleErrors() {
        assertEquals(List.of(), Chromium.errors(Chromium.console(page.driver)), "browser console errors");
    }

    @Test
    void showsAllFiftySymbolsWhosePricesChange() {
        page.waitLive(50);
        assertEquals(50, page.pricedRows());
        page.wait.withMessage("every row named from the symbol list")
                .until(d -> ((Number) page.js("return [...document.querySelectorAll('#rows .c-name')]"
                        + ".filter(c => c.textContent.trim()).length")).intValue() == 50);
        Map<String, Object> first = page.shownPrices();
        page.wait.withMessage(() -> "5 prices changing on screen; first " + first + ", now " + page.shownPrices())
                .until(d -> page.shownPrices().entrySet().stream()
                        .filter(e -> !e.getValue().equals(first.get(e.getKey()))).count() >= 5);
    }

    @Test
    void drawsEveryRowsSparklineFromHistoryOnLoad() {
        BarHistory bars = server.server().quotecast().bars();
        Eventually.await("10 one-second bars of every symbol on the server",
                () -> IntStream.range(0, 50).allMatch(i -> bars.bars(i, BarInterval.SECOND, 60).size() >= 10),
                Duration.ofSeconds(30));
        page.waitLive(50);
        page.wait.withMessage(() -> "history answers for 50 rows: " + page.stats())
                .until(d -> page.stat("historyRows") >= 50);
        assertEquals("yes", page.js("return window.quotecast.historyMode"));
        assertEquals(0L, page.stat("errors"), "50 history requests on load, paced: never rate_limited " + page.stats());
        page.waitSparklines();
        page.wait.withMessage(() -> "every sparkline drawn with 10+ points: " + page.rows())
                .until(d -> page.rows().values().stream().allMatch(r ->
                        Boolean.TRUE.equals(r.get("sparkDrawn")) && ((Number) r.get("sparkPoints")).intValue() >= 10));
    }

    @Test
    void connectsToTheStreamNextToThePageOfferingQuotecastV1() {
        page.waitLive(1);
        assertEquals("ws://127.0.0.1:" + server.port() + "/quotes", page.js("return window.quotecast.streamUrl"));
        assertEquals("quotecast.v1", page.js("return window.quotecast.protocol"), "subprotocol selected by the server");
        assertEquals("quotecast.v1", page.js("return window.quotecast.hello.protocol"));

        page.driver.get(server.page("/index.html").toString()); // the stream sits next to the page, whatever its name
        page.waitLive(1);
        assertEquals("ws://127.0.0.1:" + server.port() + "/quotes", page.js("return window.quotecast.streamUrl"));
    }

    @Test
    void resumesEveryRowWithSinceAfterAReconnectWithoutSkippingATick() {
        page.waitLive(50);
        page.wait.until(d -> page.rows().values().stream().allMatch(r -> r.get("seq") != null));
        long skippedBefore = page.stat("skippedSeq");
        page.js("window.__samePage = true; window.quotecast.reconnectNow()");
        page.wait.withMessage(() -> "a second connection: " + page.stats()).until(d -> page.stat("connects") >= 2);
        page.waitState("live");
        page.wait.withMessage(() -> "every row resumed at seq + 1: " + page.stats())
                .until(d -> page.stat("resumed") >= 50);
        Map<String, Object> stats = page.stats();
        assertEquals(skippedBefore, ((Number) stats.get("skippedSeq")).longValue(), "ticks skipped: " + stats);
        assertEquals(0L, ((Number) stats.get("gaps")).longValue(), "gaps: " + stats);
        assertEquals(0L, ((Number) stats.get("errors")).longValue(), "no rate_limited on a reconnect: " + stats);
        assertEquals(Boolean.TRUE, page.js("return window.__samePage"), "the page was not reloaded");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"light", "dark"})
    void followsTheSystemColorScheme(String scheme) {
        Chromium.colorScheme(page.driver, scheme);
        page.waitLive(50);
        page.waitSparklines();
        // the page background: near-white in light, near-black in dark
        @SuppressWarnings("unchecked")
        List<Number> rgb = (List<Number>) page.js("const c = getComputedStyle(document.body).backgroundColor"
                + ".match(/\\d+(\\.\\d+)?/g).map(Number); return c.slice(0, 3);");
        double luminance = (0.2126 * rgb.get(0).doubleValue() + 0.7152 * rgb.get(1).doubleValue()
                + 0.0722 * rgb.get(2).doubleValue()) / 255;
        assertTrue(scheme.equals("dark") ? luminance < 0.2 : luminance > 0.8, scheme + " background " + rgb);
        Chromium.screenshot(page.driver, "desktop-" + scheme);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"light", "dark"})
    void phoneWidthHasNoHorizontalOverflowAndNothingCutOff(String scheme) {
        Chromium.viewport(page.driver, 390, 844, true);
        Chromium.colorScheme(page.driver, scheme);
        page.waitLive(50);
        page.waitSparklines();
        assertEquals(390L, page.js("return window.innerWidth"));
        assertTrue((Boolean) page.js("const e = document.documentElement; return e.scrollWidth <= e.clientWidth"),
                "the page scrolls sideways");
        assertTrue((Boolean) page.js("const w = document.getElementById('table-wrap'); return w.scrollWidth <= w.clientWidth"),
                "the table scrolls sideways");
        assertEquals(List.of(), page.js(
                "const right = document.documentElement.clientWidth + 0.5;"
                        + "return [...document.querySelectorAll('header *, .controls *, #quotes th, #quotes td, #quotes button')]"
                        + ".filter(e => e.getClientRects().length && e.getBoundingClientRect().right > right)"
                        + ".map(e => e.tagName + '.' + e.className)"), "elements beyond the right edge");
        assertEquals(List.of(), page.js(
                "return [...document.querySelectorAll('header *, .controls *, #quotes th, #quotes td, #quotes button')]"
                        + ".filter(e => e.getClientRects().length && !e.closest('.sr-only') && e.scrollWidth > e.clientWidth + 1"
                        + "  && getComputedStyle(e).overflowX !== 'visible')"
                        + ".map(e => e.tagName + '.' + e.className + ' ' + JSON.stringify(e.textContent.trim()))"),
                "text clipped inside its box");
        Chromium.screenshot(page.driver, "phone-" + scheme);
    }

    @Test
    void keepsTheConsoleFreeOfErrorsAndWarnings() {
        page.waitLive(50);
        page.waitSparklines();
        long quotes = page.stat("quotes");
        page.wait.until(d -> page.stat("quotes") >= quotes + 100);
        assertEquals(List.of(), Chromium.console(page.driver).stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
                .map(e -> e.getLevel() + " " + e.getMessage()).toList());
    }
}
