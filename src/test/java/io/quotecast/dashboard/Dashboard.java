package io.quotecast.dashboard;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The dashboard page in the shared Chromium: navigation, bounded waits and the page's test hooks. */
public final class Dashboard {

    /** Generous: the machine is shared and its CPU noisy; a wait returns as soon as its condition holds. */
    static final Duration WAIT = Duration.ofSeconds(30);

    final ChromeDriver driver;
    final WebDriverWait wait;

    public Dashboard(ChromeDriver driver) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
    }

    /** Opens the page afresh: desktop viewport, light scheme, empty storage for its origin, console drained. */
    public Dashboard open(URI page) {
        // what the previous page logged (a page left open when its server stopped retries, and says so):
        // gone first, so that it logs nothing more between the drain and the navigation
        driver.get("about:blank");
        Chromium.console(driver);
        Chromium.viewport(driver, 1280, 800, false);
        Chromium.colorScheme(driver, "light");
        driver.get(page.toString());
        js("localStorage.clear()");
        driver.navigate().refresh();
        return this;
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    String state() {
        return driver.findElement(By.id("status")).getAttribute("data-state");
    }

    public void waitState(String state) {
        wait.withMessage(() -> "status " + state + ", is " + state())
                .until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", state));
    }

    /** Live, with at least {@code rows} visible rows showing a price. */
    /** Waits (bounded) until {@code condition} holds. */
    public void waitUntil(String what, java.util.function.BooleanSupplier condition) {
        wait.withMessage(() -> what).until(d -> condition.getAsBoolean());
    }

    public void waitLive(int rows) {
        waitState("live");
        wait.withMessage(() -> rows + " priced rows, have " + pricedRows())
                .until(d -> pricedRows() >= rows);
    }

    int pricedRows() {
        return ((Number) js("return document.querySelectorAll('#rows tr[data-price]:not([hidden])').length")).intValue();
    }

    /** Symbol to the price shown in its row. */
    @SuppressWarnings("unchecked")
    Map<String, Object> shownPrices() {
        return (Map<String, Object>) js("const o = {}; for (const tr of document.querySelectorAll('#rows tr[data-price]'))"
                + " o[tr.dataset.symbol] = tr.querySelector('.c-last').textContent; return o;");
    }

    /** Visible symbols in display order. */
    @SuppressWarnings("unchecked")
    List<String> order() {
        return (List<String>) js("return window.quotecast.order");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> stats() {
        return (Map<String, Object>) js("return window.quotecast.stats");
    }

    long stat(String name) {
        return ((Number) stats().get(name)).longValue();
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> rows() {
        return (Map<String, Map<String, Object>>) js("return window.quotecast.rows");
    }

    /** Every visible row's sparkline has been seeded from {@code history} and has ink on its canvas. */
    void waitSparklines() {
        wait.withMessage(() -> "history answers for every row: " + stats()).until(d -> stat("historyRows") >= 50);
        wait.withMessage(() -> "ink on every visible sparkline; blank: " + js(BLANK_SPARKLINES))
                .until(d -> ((java.util.List<?>) js(BLANK_SPARKLINES)).isEmpty());
    }

    private static final String BLANK_SPARKLINES = "return [...document.querySelectorAll('#rows tr:not([hidden])')]"
            + ".filter(tr => { const c = tr.querySelector('canvas.spark'); if (!c.getClientRects().length) return false;"
            // read back through a copy: repeated getImageData on the page's own canvas makes Chrome log a warning
            + "  const t = document.createElement('canvas'); t.width = c.width; t.height = c.height;"
            + "  const x = t.getContext('2d', {willReadFrequently: true}); x.drawImage(c, 0, 0);"
            + "  const d = x.getImageData(0, 0, t.width, t.height).data;"
            + "  for (let i = 3; i < d.length; i += 4) if (d[i]) return false; return true; })"
            + ".map(tr => tr.dataset.symbol)";

    /** Moves pointer and focus out of the table, where they would pause live re-sorting. */
    void lookAway() {
        driver.findElement(By.tagName("h1")).click();
    }
}
