package io.quotecast.dashboard;

import io.quotecast.testing.RealParts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * webapp/modules/ordering.js on its own, in Chromium: four row records of the shape rows.js makes, the
 * table's controls of a test page, a store in memory, and requestAnimationFrame as the frame loop.
 * The sort buttons, the filter and the watch-list box are used as a user uses them.
 */
@RealParts
class OrderingModuleTest extends ModulePageTest {

    /** {@code t.start(stored)}: the ordering over ACME, GLOBX, INITECH and UMBR (no quote yet), the store holding {@code stored}. */
    private static final String SETUP = """
            const { createOrdering } = window.under;
            const t = window.t = { saved: {}, rows: new Map(), watched: [], pending: false };
            const $ = (id) => document.getElementById(id);
            t.order = () => [...$('rows').children].filter((tr) => !tr.hidden).map((tr) => tr.dataset.symbol);
            const add = (symbol, name, price, changePercent) => {
              const tr = document.createElement('tr'); tr.dataset.symbol = symbol; tr.tabIndex = -1;
              const th = document.createElement('th'); th.textContent = symbol; tr.append(th);
              t.rows.set(symbol, { symbol, name, q: price == null ? null : { price, changePercent }, tr, visible: true });
            };
            t.start = (stored) => {
              for (const [k, v] of Object.entries(stored || {})) t.saved[k] = JSON.stringify(v);
              const store = { get: (k, f) => (k in t.saved ? JSON.parse(t.saved[k]) : f), set: (k, v) => { t.saved[k] = JSON.stringify(v); } };
              add('UMBR', 'Umbrella Holdings', null, null);
              add('INITECH', 'Initech', 41.5, -1.2);
              add('GLOBX', 'Globex Corporation', 55.1, 2.25);
              add('ACME', 'Acme Corporation', 101.25, 0.5);
              t.ordering = createOrdering({
                rows: t.rows, tbody: $('rows'), table: $('quotes'), filter: $('filter'), watchOnly: $('watch-only'),
                count: $('count'), empty: $('empty'), store, keys: { watch: 'watch', watchOnly: 'watchOnly', sort: 'sort', filter: 'filter' },
                schedule: () => { if (!t.pending) { t.pending = true; requestAnimationFrame((now) => { t.pending = false; t.ordering.frame(now); }); } },
                onWatch: (r, on) => t.watched.push(r.symbol + (on ? ' on' : ' off')),
              });
              t.ordering.rowsChanged();
            };
            """;

    OrderingModuleTest() {
        super("ordering.js");
    }

    @BeforeEach
    void setUp() {
        page.js(SETUP);
    }

    @Test
    void rowsGoBySymbolThenByTheClickedColumnEachWayWithRowsWithoutAPriceLast() {
        page.js("t.start()");
        waitOrder("ACME", "GLOBX", "INITECH", "UMBR");
        sortBy("price");
        waitOrder("ACME", "GLOBX", "INITECH", "UMBR"); // highest price first, UMBR has none
        assertEquals("descending", header("price").getAttribute("aria-sort"));
        sortBy("price");
        waitOrder("INITECH", "GLOBX", "ACME", "UMBR");
        assertEquals("ascending", header("price").getAttribute("aria-sort"));
        assertEquals("{\"key\":\"price\",\"dir\":\"asc\"}", page.js("return t.saved.sort"), "the sort is kept");
        sortBy("changePercent");
        waitOrder("GLOBX", "ACME", "INITECH", "UMBR");
        assertEquals(null, header("price").getAttribute("aria-sort"), "one sorted column");
        sortBy("symbol");
        waitOrder("ACME", "GLOBX", "INITECH", "UMBR");
        sortBy("symbol");
        waitOrder("UMBR", "INITECH", "GLOBX", "ACME");
    }

    @Test
    void theFilterShowsRowsWhoseSymbolOrNameHoldsItAndSaysHowMany() {
        page.js("t.start()");
        waitOrder("ACME", "GLOBX", "INITECH", "UMBR");
        assertEquals("4 symbols", text("count"));
        page.driver.findElement(By.id("filter")).sendKeys("corp");
        waitOrder("ACME", "GLOBX");
        assertEquals("2 of 4 symbols", text("count"));
        page.driver.findElement(By.id("filter")).sendKeys("x");
        waitOrder();
        assertEquals("No symbols match “corpx”.", text("empty"));
        assertEquals("\"corpx\"", page.js("return t.saved.filter"), "the filter is kept");
        page.driver.findElement(By.id("filter")).sendKeys(Keys.ESCAPE);
        waitOrder("ACME", "GLOBX", "INITECH", "UMBR");
        assertEquals("", page.driver.findElement(By.id("filter")).getAttribute("value"), "Escape empties the filter");
        assertFalse(page.driver.findElement(By.id("empty")).isDisplayed(), "no message with rows shown");
    }

    @Test
    void aStarredSymbolJoinsTheWatchListWhichAloneCanBeShown() {
        page.js("t.start()");
        waitOrder("ACME", "GLOBX", "INITECH", "UMBR");
        assertEquals(Boolean.TRUE, page.js("return t.ordering.toggleWatch('GLOBX')"));
        assertEquals(List.of("GLOBX on"), page.js("return t.watched"));
        assertEquals("[\"GLOBX\"]", page.js("return t.saved.watch"), "the watch list is kept");
        page.driver.findElement(By.id("watch-only")).click();
        waitOrder("GLOBX");
        assertEquals("1 of 4 symbols", text("count"));
        assertEquals(Boolean.FALSE, page.js("return t.ordering.toggleWatch('GLOBX')"));
        waitOrder();
        assertTrue(text("empty").startsWith("Your watch list is empty."), text("empty"));
        page.driver.findElement(By.id("watch-only")).click();
        waitOrder("ACME", "GLOBX", "INITECH", "UMBR");
        assertEquals("false", page.js("return t.saved.watchOnly"));
    }

    @Test
    void theChoicesInTheStoreAreTheOnesInForceAtStart() {
        page.js("t.start({ sort: { key: 'changePercent', dir: 'asc' }, filter: 'i', watch: ['initech', 'UMBR'], watchOnly: true })");
        waitOrder("INITECH", "UMBR"); // both watched, both hold an I; UMBR has no change yet: last
        assertEquals("i", page.driver.findElement(By.id("filter")).getAttribute("value"));
        assertTrue(page.driver.findElement(By.id("watch-only")).isSelected());
        assertEquals("ascending", header("changePercent").getAttribute("aria-sort"));
        assertEquals(List.of("INITECH", "UMBR"), page.js("return t.ordering.watchList"), "symbols in upper case");
    }

    /**
     * Frames at chosen times, in one script (no real frame can come between them): a new price re-sorts
     * at most once a second, and not while the focus is in the rows; once it leaves, the rows move.
     */
    @Test
    void aLiveSortFollowsPricesAtMostOnceASecondAndNotWhileTheFocusIsInTheRows() {
        new Actions(page.driver).moveToElement(page.driver.findElement(By.id("count"))).perform(); // the pointer away from the rows
        @SuppressWarnings("unchecked")
        List<Object> seen = (List<Object>) page.js("""
                t.start({ sort: { key: 'price', dir: 'desc' } });
                const o = t.ordering, base = performance.now(), out = [];
                o.frame(base); out.push(t.order());
                t.rows.get('INITECH').q = { price: 200, changePercent: 0 }; o.valuesChanged();
                o.frame(base + 500); out.push(t.order());
                o.frame(base + 1000); out.push(t.order());
                t.rows.get('UMBR').tr.focus();
                t.rows.get('ACME').q = { price: 300, changePercent: 0 }; o.valuesChanged();
                o.frame(base + 3000); out.push(t.order(), o.paused);
                return out;""");
        assertEquals(List.of("ACME", "GLOBX", "INITECH", "UMBR"), seen.get(0));
        assertEquals(List.of("ACME", "GLOBX", "INITECH", "UMBR"), seen.get(1), "half a second after a sort: not yet");
        assertEquals(List.of("INITECH", "ACME", "GLOBX", "UMBR"), seen.get(2), "a second after it: re-sorted");
        assertEquals(List.of("INITECH", "ACME", "GLOBX", "UMBR"), seen.get(3), "the focus in the rows: they stay");
        assertEquals(Boolean.TRUE, seen.get(4));
        page.js("document.activeElement.blur()");
        waitOrder("ACME", "INITECH", "GLOBX", "UMBR"); // the focus gone: the frame loop re-sorts
    }

    private void sortBy(String key) {
        page.driver.findElement(By.cssSelector("button.sort[data-sort='" + key + "']")).click();
    }

    private org.openqa.selenium.WebElement header(String key) {
        return page.driver.findElement(By.cssSelector("th[data-sort-key='" + key + "']"));
    }

    private String text(String id) {
        return page.driver.findElement(By.id(id)).getText();
    }

    private void waitOrder(String... symbols) {
        List<String> want = List.of(symbols);
        page.wait.withMessage(() -> "rows shown " + want + ", are " + page.js("return t.order()"))
                .until(d -> want.equals(page.js("return t.order()")));
    }
}
