package io.quotecast.dashboard;

import io.quotecast.testing.RealParts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * webapp/modules/rows.js on its own, in Chromium: rows made from the dashboard's own row template (read
 * from index.html), put in the test page's table, drawn by requestAnimationFrame or by frames at chosen times.
 */
@RealParts
class RowsModuleTest extends ModulePageTest {

    private static final String SETUP = """
            const done = arguments[arguments.length - 1];
            fetch('../').then((res) => res.text()).then((html) => {
              const doc = new DOMParser().parseFromString(html, 'text/html');
              const template = document.importNode(doc.getElementById('row-template'), true);
              document.body.append(template);
              const t = window.t = { rows: new Map(), stats: { rowRenders: 0, sparkDraws: 0 }, pending: false, seq: 0 };
              const schedule = () => {
                if (t.pending) return;
                t.pending = true;
                requestAnimationFrame((now) => { t.pending = false; if (t.table.frame(now)) schedule(); });
              };
              t.table = window.under.createRows({
                rows: t.rows, template, stats: t.stats, schedule, isWatched: (s) => s === 'ACME',
                added: (r) => document.getElementById('rows').append(r.tr),
              });
              t.quote = (r, price, extra) => t.table.quote(r, Object.assign({ symbol: r.symbol, price, change: price - 100,
                changePercent: price - 100, bid: price - 0.01, ask: price + 0.01, low: 90, high: 110, volume: 1000 + t.seq,
                seq: ++t.seq, ts: Date.now() }, extra));
              t.cell = (r, c) => r.tr.querySelector('.' + c).textContent;
              done('ok');
            }, (e) => done(String(e)));""";

    RowsModuleTest() {
        super("rows.js");
    }

    @BeforeEach
    void setUp() {
        assertEquals("ok", page.driver.executeAsyncScript(SETUP));
    }

    @Test
    void tenQuotesBeforeAFrameAreOneRenderShowingTheLast() {
        page.js("const r = t.table.row('GLOBX'); for (let i = 1; i <= 10; i++) t.quote(r, 100 + i);");
        page.waitUntil("the row drawn", () -> "110.00".equals(page.js("return t.cell(t.rows.get('GLOBX'), 'c-last')")));
        Object renders = page.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "requestAnimationFrame(() => requestAnimationFrame(() => done(t.stats.rowRenders)));");
        assertEquals(1L, renders, "one render for ten quotes");
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) page.js("const r = t.rows.get('GLOBX');"
                + "return { chg: t.cell(r, 'c-chg'), pct: t.cell(r, 'c-pct'), seq: r.tr.dataset.seq, pos: r.tr.classList.contains('pos'),"
                + " star: r.star.getAttribute('aria-pressed'), sym: t.cell(r, 'c-sym') };");
        assertEquals(Map.of("chg", "+10.00", "pct", "+10.00%", "seq", "10", "pos", true, "star", "false", "sym", "GLOBX"), shown);
        assertEquals("true", page.js("return t.table.row('ACME').star.getAttribute('aria-pressed')"), "a watched symbol's star");
    }

    /** Frames at chosen times, in one script: a move restarts the flash, at most every 700 ms. */
    @Test
    void aPriceMoveFlashesTheLastPriceUpOrDownAtMostEvery700Ms() {
        @SuppressWarnings("unchecked")
        List<Object> seen = (List<Object>) page.js("""
                const r = t.table.row('ACME'), base = performance.now() + 10000, out = [];
                const look = () => out.push(r.lastCell.className + ' ' + (r.tr.dataset.dir || '-'));
                t.quote(r, 100); t.table.frame(base); look();
                t.quote(r, 101); t.table.frame(base + 200); look();
                t.quote(r, 100.5); t.table.frame(base + 400); look();
                t.quote(r, 99); t.table.frame(base + 1000); look();
                return out;""");
        assertEquals(List.of("c-last num -", "c-last num flash-up1 up", "c-last num flash-up1 up", "c-last num flash-down2 down"), seen);
    }

    @Test
    void aStaleQuoteMarksItsRowUntilALiveOneReplacesIt() {
        assertEquals(Boolean.TRUE, page.js("return t.quote(t.table.row('ACME'), 100, { stale: true, snapshot: true })"),
                "the row turned stale");
        assertEquals(1L, page.js("return t.table.staleCount"));
        page.waitUntil("ACME dimmed", () -> Boolean.TRUE.equals(page.js("return t.rows.get('ACME').tr.classList.contains('stale')")));
        assertTrue(((String) page.js("return t.rows.get('ACME').tr.title")).startsWith("Stale:"));
        assertEquals(Boolean.TRUE, page.js("return t.quote(t.rows.get('ACME'), 100.5)"), "live again");
        assertEquals(0L, page.js("return t.table.staleCount"));
        page.waitUntil("ACME live", () -> Boolean.FALSE.equals(page.js("return t.rows.get('ACME').tr.classList.contains('stale')")));
        assertEquals("", page.js("return t.rows.get('ACME').tr.title"));
    }

    @Test
    void aHiddenRowIsDrawnOnlyWhenShownAgain() {
        @SuppressWarnings("unchecked")
        List<Object> seen = (List<Object>) page.js("""
                const r = t.table.row('UMBR'), base = performance.now() + 10000;
                r.visible = false; r.tr.hidden = true;
                t.quote(r, 102); t.table.frame(base);
                const hidden = [t.cell(r, 'c-last'), t.stats.rowRenders];
                r.visible = true; r.tr.hidden = false; t.table.shown(r); t.table.frame(base + 50);
                return [...hidden, t.cell(r, 'c-last'), t.stats.rowRenders];""");
        assertEquals(List.of("—", 0L, "102.00", 1L), seen);
    }
}
