package io.quotecast.dashboard;

import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frame times while the page shows all 50 symbols of a 1000 ticks/s feed, with ACME's chart open:
 * frame-probe.js records every requestAnimationFrame interval and every long task (over 50 ms on the
 * main thread) for 5 s with the table alone, then for 5 s with the chart open, back to back.
 *
 * <p>The machine is shared (2 cores, other builds and benchmarks): at load 8-13 the same page measured
 * p95 from 33 to 250 ms (docs/dashboard.md). So the chart is judged against the table measured just before it,
 * under the same load: it may add some tail, not multiply it; and a few absolute bounds catch a page
 * that janks whatever the machine. Every figure is printed.
 */
@RealParts
class FrameSmoothnessTest {

    /** The chart's window against the table's: at most this factor, or this many ms, more p95. */
    static final double P95_FACTOR = 2;
    static final double P95_SLACK_MS = 34;
    /** Long tasks and blocked time: at most twice the table's, plus a little for a GC or a history answer. */
    static final int LONG_TASK_SLACK = 5;
    static final long BLOCKING_SLACK_MS = 500;
    /** Whatever the load: a median frame of 20 frames a second, no task of half a second. */
    static final double P50_FRAME_MS = 50;
    static final long LONGEST_TASK_MS = 500;

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "1000");

    record Window(String what, Chromium.Frames frames, long blockingMs, long quotes, long chartDraws, long rowRenders,
                  long sparkDraws) {
        @Override
        public String toString() {
            return String.format("%s: %s, blocking %d ms; quotes=%d chartDraws=%d rowRenders=%d sparkDraws=%d",
                    what, frames, blockingMs, quotes, chartDraws, rowRenders, sparkDraws);
        }
    }

    @Test
    void theChartOpenAtAThousandTicksPerSecondKeepsFramesShort() {
        // the floor this machine sets right now (other processes, software compositing): an idle page, same probe
        Dashboard page = new Dashboard(CHROMIUM.driver());
        page.driver.get("data:text/html,<!doctype html><title>idle</title><p>idle page");
        page.wait.withMessage("the 5 s frame probe on an idle page").until(d -> Chromium.probeDone(page.driver));
        Chromium.Frames idle = Chromium.frames(page.driver, 0);

        page.open(server.page("/"));
        page.waitLive(50);
        page.wait.withMessage("the probe's first window, from navigation, over").until(d -> Chromium.probeDone(page.driver));
        Window table = measure(page, "table alone");
        page.driver.findElement(By.cssSelector("#rows tr[data-symbol='ACME']")).click();
        page.wait.withMessage("ACME's chart drawn").until(d -> page.js("return window.quotecast.chart.drawn") != null);
        Window chart = measure(page, "chart open");
        Chromium.Frames f = chart.frames();
        Map<String, Object> stats = page.stats();
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf("[dashboard frames, 1000 ticks/s, 50 symbols, %s, %d cores, load %.1f]%n  idle page: %s%n  %s%n  %s%n"
                        + "  long tasks with the chart (start:duration ms): %s%n  renderMsMax=%.1f skippedSeq=%s%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), load, idle, table, chart,
                page.js("return window.__probe.longTasks.map(t => t.start + ':' + t.duration).join(' ')"),
                ((Number) stats.get("renderMsMax")).doubleValue(), stats.get("skippedSeq"));

        assertEquals("live", page.state());
        assertEquals(50, page.pricedRows());
        assertTrue(chart.quotes() > 2500, "the page took the feed in the window (conflated when it falls behind): " + chart);
        assertTrue(chart.chartDraws() >= 10, "the chart's last candle kept growing: " + chart);
        assertTrue(f.count() >= 50, "requestAnimationFrame kept running (300 frames at 60 Hz): " + chart);
        double p95Bound = Math.max(table.frames().p95() * P95_FACTOR, table.frames().p95() + P95_SLACK_MS);
        assertTrue(f.p95() <= p95Bound, "p95 with the chart within " + p95Bound + " ms: " + chart + " / " + table);
        int longTaskBound = 2 * table.frames().longTasks() + LONG_TASK_SLACK;
        assertTrue(f.longTasks() <= longTaskBound, "at most " + longTaskBound + " long tasks: " + chart + " / " + table);
        long blockingBound = 2 * table.blockingMs() + BLOCKING_SLACK_MS;
        assertTrue(chart.blockingMs() <= blockingBound, "blocked at most " + blockingBound + " ms: " + chart + " / " + table);
        assertTrue(f.p50() < P50_FRAME_MS, "the median frame under " + P50_FRAME_MS + " ms: " + chart);
        assertTrue(f.longTaskMaxMs() < LONGEST_TASK_MS, "no long task of " + LONGEST_TASK_MS + " ms: " + chart);
        assertEquals(List.of(), Chromium.errors(Chromium.console(page.driver)), "browser console errors");
    }

    /** A fresh 5 s window of the probe, and the page's counters over it. */
    private static Window measure(Dashboard page, String what) {
        Map<String, Object> before = page.stats();
        long drawsBefore = chartDraws(page);
        page.js("window.__probe.measure(5000)");
        page.wait.withMessage("the 5 s frame probe, " + what).until(d -> Chromium.probeDone(page.driver));
        Chromium.Frames frames = Chromium.frames(page.driver, 0);
        long blocking = ((Number) page.js("return window.__probe.longTasks.reduce((s, t) => s + t.duration - 50, 0)")).longValue();
        Map<String, Object> after = page.stats();
        return new Window(what, frames, blocking, number(after, "quotes") - number(before, "quotes"), chartDraws(page) - drawsBefore,
                number(after, "rowRenders") - number(before, "rowRenders"), number(after, "sparkDraws") - number(before, "sparkDraws"));
    }

    private static long chartDraws(Dashboard page) {
        return ((Number) page.js("return window.quotecast.chart.draws")).longValue();
    }

    private static long number(Map<String, Object> stats, String name) {
        return ((Number) stats.get(name)).longValue();
    }
}
