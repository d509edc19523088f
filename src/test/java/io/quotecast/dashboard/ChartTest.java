package io.quotecast.dashboard;

import io.quotecast.market.Bar;
import io.quotecast.market.BarInterval;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A symbol's chart, in Chromium against a real standalone server at 4 ticks/s per symbol. */
@RealParts
class ChartTest {

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "200");

    Dashboard page;

    @BeforeEach
    void openPage() {
        page = new Dashboard(CHROMIUM.driver()).open(server.page("/"));
        page.waitLive(50);
    }

    @AfterEach
    void noConsoleErrors() {
        assertEquals(List.of(), Chromium.errors(Chromium.console(page.driver)), "browser console errors");
    }

    @Test
    void clickingASymbolOpensItsChartWithItsLiveFigures() {
        assertFalse(chartShown(), "no chart before a click");
        row("GLOBX").findElement(By.cssSelector(".c-sym")).click();
        waitCandles("GLOBX");
        assertEquals("GLOBX", text("chart-title"));
        assertEquals("Globex Corporation", text("chart-name"));
        String last = text("chart-last");
        page.wait.withMessage(() -> "the header's last price follows the quotes; was " + last + ", is " + text("chart-last"))
                .until(d -> !text("chart-last").equals(last));
        for (String id : List.of("chart-chg", "chart-bid", "chart-ask", "chart-range", "chart-vol")) {
            assertFalse(text(id).equals("—") || text(id).isBlank(), id + " shows a figure: " + text(id));
        }
        assertTrue(text("chart-range").contains("–"), "day range low – high: " + text("chart-range"));
    }

    @Test
    void enterOnARowReachedWithTheKeyboardOpensItsChart() {
        page.lookAway();
        new Actions(page.driver).sendKeys("/").perform();
        assertEquals("filter", page.js("return document.activeElement.id"), "/ focuses the filter");
        new Actions(page.driver).sendKeys("UMBR").perform();
        page.wait.withMessage("only UMBR listed").until(d -> page.order().equals(List.of("UMBR")));
        for (int i = 0; i < 8 && !"UMBR".equals(page.js("return document.activeElement.dataset.symbol || null")); i++) {
            new Actions(page.driver).sendKeys(Keys.TAB).perform();
        }
        assertEquals("UMBR", page.js("return document.activeElement.dataset.symbol || null"), "the row is a tab stop");
        new Actions(page.driver).sendKeys(Keys.ENTER).perform();
        waitCandles("UMBR");
        assertEquals("UMBR", text("chart-title"));
        assertEquals("chart", page.js("return document.activeElement.id"), "focus moves into the chart");
    }

    @Test
    void itAsksHistoryAndDrawsOneCandlePerBarReturned() {
        openChart("ACME");
        Map<String, Object> chart = waitCandles("ACME");
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) chart.get("answer");
        long answered = ((Number) answer.get("count")).longValue();
        long lastAnswered = ((Number) answer.get("last")).longValue();
        // what the server holds up to the answer's last bar, at most the 300 the page asks
        List<Bar> held = server.server().quotecast().bars().bars(indexOf("ACME"), BarInterval.SECOND, 1000).stream()
                .filter(b -> b.start() <= lastAnswered).toList();
        assertEquals(Math.min(300, held.size()), answered, "bars returned for 1s, limit 300");
        assertTrue(answered >= 2, "a few seconds of bars: " + answered);
        // the chart draws every bar it was given, and the candles the quotes started since (up to its last draw)
        @SuppressWarnings("unchecked")
        Map<String, Object> drawn = (Map<String, Object>) chart.get("drawn");
        long lastDrawn = ((Number) drawn.get("last")).longValue();
        @SuppressWarnings("unchecked")
        List<Number> times = (List<Number>) chart.get("times");
        long started = times.stream().filter(t -> t.longValue() > lastAnswered && t.longValue() <= lastDrawn).count();
        assertEquals(answered + started, ((Number) drawn.get("count")).longValue(), "candles on the canvas: " + chart);
        assertEquals(answer.get("first"), drawn.get("first"), "the first candle is the first bar returned");
        @SuppressWarnings("unchecked")
        List<Object> both = (List<Object>) page.js("return [String(window.quotecast.chart.drawn.count),"
                + " document.getElementById('chart-plot').dataset.candles]");
        assertEquals(both.get(0), both.get(1), "the page's count is the drawn one");
        assertTrue(inked("#chart-plot canvas"), "ink on the chart's canvas");
    }

    @Test
    void theLastCandleClosesAtTheLastQuote() {
        openChart("ACME");
        waitCandles("ACME");
        // header (the last quote) and readout (the last candle, pointer away) read in one go
        page.wait.withMessage(() -> "the last candle's close is the last price: " + page.js(LAST_AND_CLOSE))
                .until(d -> {
                    @SuppressWarnings("unchecked")
                    List<String> pair = (List<String>) page.js(LAST_AND_CLOSE);
                    return pair.get(0).equals(pair.get(1));
                });
        Map<String, Object> chart = chart();
        @SuppressWarnings("unchecked")
        Map<String, Object> last = (Map<String, Object>) chart.get("last");
        long t = ((Number) last.get("t")).longValue();
        assertEquals(0, t % 1000, "a candle starts on the second");
        Object price = page.js("return window.quotecast.rows.ACME.price");
        page.wait.withMessage(() -> "the model's last close equals the row's price: " + chart() + " / " + price)
                .until(d -> page.js("return window.quotecast.chart.last.c === window.quotecast.rows.ACME.price").equals(Boolean.TRUE));
    }

    private static final String LAST_AND_CLOSE = "const r = document.getElementById('chart-readout').textContent;"
            + "return [document.getElementById('chart-last').textContent, (r.match(/C (\\S+)/) || [])[1] || ''];";

    /**
     * The page's candles (webapp/modules/candles.js, run in this very page) from the quotes a client
     * received are the server's bars: new bars on the second, open, high, low, close and the volume
     * traded within, so that a reload shows the candles the live chart drew.
     */
    @Test
    void liveCandlesAreBuiltAsTheServerBuildsItsBars() {
        List<jakarta.json.JsonObject> quotes = new java.util.ArrayList<>();
        try (io.quotecast.testing.TestClient client = server.connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            quotes.add(client.next(io.quotecast.testing.TestClient.quoteOf("ACME")));
            while (quotes.get(quotes.size() - 1).getJsonNumber("ts").longValue() / 1000
                    < quotes.get(0).getJsonNumber("ts").longValue() / 1000 + 5) {
                quotes.add(client.next(io.quotecast.testing.TestClient.quoteOf("ACME")));
            }
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> built = (List<Map<String, Object>>) page.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1]; const quotes = JSON.parse(arguments[0]);"
                        + "import('./modules/candles.js').then(({ Candles }) => {"
                        + "  const c = new Candles('1s', 300); c.dayVolume = quotes[0].volume;" // the snapshot: what traded before it is not ours
                        + "  for (const q of quotes.slice(1)) c.add(q);"
                        + "  done(c.bars); });",
                quotes.toString());
        long firstWhole = quotes.get(0).getJsonNumber("ts").longValue() / 1000 * 1000 + 1000;
        long open = quotes.get(quotes.size() - 1).getJsonNumber("ts").longValue() / 1000 * 1000;
        Map<Long, Bar> held = server.server().quotecast().bars().bars(indexOf("ACME"), BarInterval.SECOND, 1000).stream()
                .collect(java.util.stream.Collectors.toMap(Bar::start, b -> b));
        int compared = 0;
        assertEquals(held.keySet().stream().filter(t -> t >= firstWhole && t < open).sorted().toList(),
                built.stream().map(c -> ((Number) c.get("t")).longValue()).filter(t -> t >= firstWhole && t < open).toList(),
                "a candle for every second the server has a bar, no other");
        for (Map<String, Object> candle : built) {
            long t = ((Number) candle.get("t")).longValue();
            if (t < firstWhole || t >= open) {
                continue; // the snapshot's second began before the client, the last is still open
            }
            Bar bar = held.get(t);
            assertNotNull(bar, "the server has a bar at " + t);
            assertEquals(bar.open().doubleValue(), ((Number) candle.get("o")).doubleValue(), "open at " + t);
            assertEquals(bar.high().doubleValue(), ((Number) candle.get("h")).doubleValue(), "high at " + t);
            assertEquals(bar.low().doubleValue(), ((Number) candle.get("l")).doubleValue(), "low at " + t);
            assertEquals(bar.close().doubleValue(), ((Number) candle.get("c")).doubleValue(), "close at " + t);
            assertEquals(bar.volume(), ((Number) candle.get("v")).longValue(), "volume at " + t);
            compared++;
        }
        assertTrue(compared >= 3, "whole seconds compared: " + compared + " of " + built);
    }

    @Test
    void theIntervalSwitchShowsOneMinuteBarsAndBackToSeconds() {
        openChart("ACME");
        waitCandles("ACME");
        assertEquals("true", button("1s").getAttribute("aria-pressed"));
        long asked = ((Number) chart().get("asked")).longValue();
        button("1m").click();
        page.wait.withMessage(() -> "1m bars asked: " + chart())
                .until(d -> "1m".equals(chart().get("interval")) && ((Number) chart().get("asked")).longValue() > asked);
        waitCandles("ACME");
        assertEquals("true", button("1m").getAttribute("aria-pressed"));
        assertEquals("false", button("1s").getAttribute("aria-pressed"));
        @SuppressWarnings("unchecked")
        List<Number> times = (List<Number>) chart().get("times");
        assertFalse(times.isEmpty());
        assertTrue(times.stream().allMatch(t -> t.longValue() % 60_000 == 0), "minute bars: " + times);
        int held = server.server().quotecast().bars().bars(indexOf("ACME"), BarInterval.MINUTE, 1000).size();
        assertTrue(times.size() <= held + 1 && times.size() >= held - 1, times.size() + " candles, the server holds " + held);
        button("1s").click();
        page.wait.withMessage(() -> "1s bars asked again: " + chart()).until(d -> "1s".equals(chart().get("interval")));
        waitCandles("ACME");
        assertTrue(((List<?>) chart().get("times")).size() > times.size(), "more second bars than minute bars: " + chart());
    }

    @Test
    void theFragmentNamesTheOpenChartSurvivesAReloadAndEscapeAndBackClose() {
        row("INITE").click();
        waitCandles("INITE");
        assertEquals("#INITE", page.js("return location.hash"));
        page.js("window.__before = true");
        page.driver.navigate().refresh();
        page.waitLive(1);
        assertEquals(null, page.js("return window.__before || null"), "reloaded");
        waitCandles("INITE"); // the reload opens it again
        new Actions(page.driver).sendKeys(Keys.ESCAPE).perform();
        page.wait.withMessage("Escape closes the chart").until(d -> !chartShown());
        assertEquals("", page.js("return location.hash"));

        row("UMBR").click();
        waitCandles("UMBR");
        assertEquals("#UMBR", page.js("return location.hash"));
        row("AVIA").click(); // another symbol (a row in sight below the chart) while a chart is open: it switches
        waitCandles("AVIA");
        assertEquals("#AVIA", page.js("return location.hash"));
        page.driver.navigate().back();
        page.wait.withMessage("Back closes the chart, not back to the previous symbol's").until(d -> !chartShown());
        assertEquals("", page.js("return location.hash"));
        assertEquals(true, page.js("return document.querySelectorAll('#rows tr[data-price]').length === 50"), "the table stays");

        page.driver.get(server.page("/") + "#initE"); // a link, any case
        waitCandles("INITE");
    }

    @Test
    void arrowKeysMoveBetweenRowsAndWTogglesTheWatchList() {
        List<String> order = page.order();
        row(order.get(0)).findElement(By.cssSelector(".c-name")).click(); // opens the first row's chart
        waitCandles(order.get(0));
        new Actions(page.driver).sendKeys(Keys.ESCAPE).perform();
        page.wait.withMessage("closed, focus back on the row").until(d -> !chartShown()
                && order.get(0).equals(page.js("return document.activeElement.dataset.symbol || null")));
        new Actions(page.driver).sendKeys(Keys.ARROW_DOWN).perform();
        new Actions(page.driver).sendKeys(Keys.ARROW_DOWN).perform();
        assertEquals(page.order().get(2), page.js("return document.activeElement.dataset.symbol || null"), "two rows down");
        new Actions(page.driver).sendKeys(Keys.ARROW_UP).perform();
        assertEquals(page.order().get(1), page.js("return document.activeElement.dataset.symbol || null"), "one row up");
        new Actions(page.driver).sendKeys(Keys.END).perform();
        assertEquals(page.order().get(49), page.js("return document.activeElement.dataset.symbol || null"), "End: the last row");
        assertEquals(1L, page.js("return document.querySelectorAll('#rows tr[tabindex=\"0\"]').length"), "one tab stop in the table");

        assertFalse(page.driver.findElement(By.id("watch-only")).isSelected());
        new Actions(page.driver).sendKeys("w").perform();
        assertTrue(page.driver.findElement(By.id("watch-only")).isSelected(), "w turns the watch list on");
        page.wait.withMessage("no rows: the watch list is empty").until(d -> page.order().isEmpty());
        new Actions(page.driver).sendKeys("w").perform();
        assertFalse(page.driver.findElement(By.id("watch-only")).isSelected(), "w again turns it off");
        page.wait.withMessage("every row back").until(d -> page.order().size() == 50);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"light", "dark"})
    void aPhoneGetsTheChartFullWidthWithoutSidewaysScrolling(String scheme) {
        Chromium.viewport(page.driver, 390, 844, true);
        Chromium.colorScheme(page.driver, scheme);
        row("ACME").click();
        waitCandles("ACME");
        page.wait.withMessage("the plot resized to the phone").until(d -> ((Number) page.js(
                "return document.querySelector('#chart-plot canvas').getBoundingClientRect().width")).doubleValue() > 300);
        assertEquals(390L, page.js("return window.innerWidth"));
        assertTrue((Boolean) page.js("const e = document.documentElement; return e.scrollWidth <= e.clientWidth"), "the page scrolls sideways");
        assertEquals(List.of(), page.js("const right = document.documentElement.clientWidth + 0.5;"
                + "return [...document.querySelectorAll('#chart, #chart *')]"
                + ".filter(e => e.getClientRects().length && e.getBoundingClientRect().right > right)"
                + ".map(e => e.tagName + '.' + e.className)"), "chart parts beyond the right edge");
        double plot = ((Number) page.js("return document.getElementById('chart-plot').getBoundingClientRect().width")).doubleValue();
        assertTrue(plot >= 390 - 2 * 10 - 1, "the plot takes the width, less the padding: " + plot);
        assertTrue(inked("#chart-plot canvas"), "candles drawn");
        Chromium.screenshot(page.driver, "chart-phone-" + scheme);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"light", "dark"})
    void theDesktopChartFollowsTheColorSchemeWithACrosshairReadout(String scheme) {
        Chromium.colorScheme(page.driver, scheme);
        row("ACME").click();
        Map<String, Object> chart = waitCandles("ACME");
        WebElement over = page.driver.findElement(By.cssSelector("#chart-plot .u-over"));
        // the pointer on the first candle: the readout shows that bar's time and OHLCV
        @SuppressWarnings("unchecked")
        List<Number> times = (List<Number>) chart.get("times");
        new Actions(page.driver).moveToElement(over, -over.getSize().getWidth() / 2 + 2, 0).perform();
        page.wait.withMessage(() -> "the readout follows the pointer: " + text("chart-readout"))
                .until(d -> "true".equals(page.driver.findElement(By.id("chart-readout")).getAttribute("data-pointing")));
        String readout = text("chart-readout");
        assertTrue(readout.matches(".*\\d\\d:\\d\\d:\\d\\d.*\\s+O \\S+\\s+H \\S+\\s+L \\S+\\s+C \\S+\\s+V \\S+.*"), readout);
        long pointed = Long.parseLong(page.driver.findElement(By.id("chart-readout")).getAttribute("data-t"));
        assertTrue(pointed < times.get(times.size() - 1).longValue(), "an earlier bar than the last: " + readout);
        Chromium.screenshot(page.driver, "chart-desktop-" + scheme);
        page.lookAway();
    }

    // ---------------------------------------------------------------------------------------------

    private void openChart(String symbol) {
        row(symbol).click();
    }

    /**
     * A row, scrolled to the middle of the table: scrolled only into sight, it may sit under the sticky
     * header, which would take the click.
     */
    private WebElement row(String symbol) {
        WebElement row = page.driver.findElement(By.cssSelector("#rows tr[data-symbol='" + symbol + "']"));
        page.js("arguments[0].scrollIntoView({block: 'center'})", row);
        return row;
    }

    private WebElement button(String interval) {
        return page.driver.findElement(By.cssSelector("#chart [data-interval='" + interval + "']"));
    }

    private String text(String id) {
        return page.driver.findElement(By.id(id)).getText();
    }

    private boolean chartShown() {
        return page.driver.findElement(By.id("chart")).isDisplayed();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> chart() {
        return (Map<String, Object>) page.js("return window.quotecast.chart");
    }

    /** The chart of {@code symbol} is shown and has drawn since its (latest) history answer. */
    Map<String, Object> waitCandles(String symbol) {
        page.wait.withMessage(() -> symbol + "'s chart drawn from its history: " + chart())
                .until(d -> chartShown() && Boolean.TRUE.equals(page.js("const c = window.quotecast.chart;"
                        + " return c.symbol === arguments[0] && c.answer !== null && c.drawn !== null"
                        + " && c.drawn.answers === c.answers && c.drawn.count > 0", symbol)));
        Map<String, Object> chart = chart();
        assertNotNull(chart.get("last"));
        return chart;
    }

    private static int indexOf(String symbol) {
        return server.server().quotecast().hub().catalog().indexOf(symbol);
    }

    private boolean inked(String canvasSelector) {
        return Boolean.TRUE.equals(page.js("const c = document.querySelector(arguments[0]);"
                + "const t = document.createElement('canvas'); t.width = c.width; t.height = c.height;"
                + "const x = t.getContext('2d', {willReadFrequently: true}); x.drawImage(c, 0, 0);"
                + "const d = x.getImageData(0, 0, t.width, t.height).data;"
                + "for (let i = 3; i < d.length; i += 4) if (d[i]) return true; return false;", canvasSelector));
    }
}
