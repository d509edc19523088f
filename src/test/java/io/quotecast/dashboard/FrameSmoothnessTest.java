package io.quotecast.dashboard;

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
 * Frame times while the page shows all 50 symbols of a 1000 ticks/s feed with a chart open: once the
 * chart is drawn, frame-probe.js records every requestAnimationFrame interval and every long task
 * (over 50 ms on the main thread) for 5 s.
 *
 * <p>The bounds are those a shared 2-core machine under load still keeps (software compositing, the
 * server, the browser and another build on the same cores): the figures of a quiet run are far below
 * them, and are printed; the README records measured runs. An idle page, measured by the same probe
 * first, shows the floor the machine sets at that moment.
 */
class FrameSmoothnessTest {

    /**
     * Measured with the chart open (README): p95 33 ms at load 8.4 and 50 ms at load 12.8 on 2 cores. Six
     * 60 Hz frames leave room for a machine loaded past that without passing a page that janks.
     */
    static final double P95_FRAME_MS = 100;
    /** Long tasks (over 50 ms): 3-5 at load 8-13, each 50-180 ms; a stream of them fails. */
    static final int MAX_LONG_TASKS = 15;
    /** The main thread blocked past 50 ms per long task, summed over the 5 s window: under a fifth of it. */
    static final long MAX_BLOCKING_MS = 1000;
    static final long LONGEST_TASK_MS = 500;

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "1000");

    @Test
    void framesStayShortWithTheChartOpenAtAThousandTicksPerSecond() {
        // the floor this machine sets right now (other processes, software compositing): an idle page, same probe
        Dashboard page = new Dashboard(CHROMIUM.driver());
        page.driver.get("data:text/html,<!doctype html><title>idle</title><p>idle page");
        page.wait.withMessage("the 5 s frame probe on an idle page").until(d -> Chromium.probeDone(page.driver));
        Chromium.Frames idle = Chromium.frames(page.driver, 0);

        page.open(server.page("/"));
        page.waitLive(50);
        page.driver.findElement(By.cssSelector("#rows tr[data-symbol='ACME']")).click();
        page.wait.withMessage("ACME's chart drawn").until(d -> page.js("return window.quotecast.chart.drawn") != null);
        page.wait.withMessage("the probe's first window, from navigation, over").until(d -> Chromium.probeDone(page.driver));
        Map<String, Object> before = page.stats();
        long drawsBefore = chartDraws(page);
        page.js("window.__probe.measure(5000)");
        page.wait.withMessage("the 5 s frame probe with the chart open").until(d -> Chromium.probeDone(page.driver));
        Chromium.Frames chart = Chromium.frames(page.driver, 0);
        Map<String, Object> stats = page.stats();
        long quotes = number(stats, "quotes") - number(before, "quotes");
        long draws = chartDraws(page) - drawsBefore;
        long blocking = ((Number) page.js("return window.__probe.longTasks.reduce((s, t) => s + t.duration - 50, 0)")).longValue();
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf("[dashboard frames, 1000 ticks/s, 50 symbols, chart of ACME open, %s, %d cores, load %.1f]%n"
                        + "  idle page: %s%n  chart open, 5 s: %s, blocking %d ms%n  long tasks (start:duration ms): %s%n"
                        + "  in the window: quotes=%d chartDraws=%d rowRenders=%d sparkDraws=%d; renderMsMax=%.1f skippedSeq=%s%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), load, idle, chart, blocking,
                page.js("return window.__probe.longTasks.map(t => t.start + ':' + t.duration).join(' ')"),
                quotes, draws, number(stats, "rowRenders") - number(before, "rowRenders"),
                number(stats, "sparkDraws") - number(before, "sparkDraws"),
                ((Number) stats.get("renderMsMax")).doubleValue(), stats.get("skippedSeq"));

        assertEquals("live", page.state());
        assertEquals(50, page.pricedRows());
        assertTrue(quotes > 2500, "the page took the feed in the window (conflated when it falls behind): " + quotes);
        assertTrue(draws >= 10, "the chart's last candle kept growing: " + draws + " redraws in 5 s");
        assertTrue(chart.count() >= 50, "requestAnimationFrame kept running (300 frames at 60 Hz): " + chart);
        assertTrue(chart.p50() < 20, "the median frame is a 60 Hz frame: " + chart);
        assertTrue(chart.p95() < P95_FRAME_MS, "p95 frame under " + P95_FRAME_MS + " ms: " + chart);
        assertTrue(chart.longTasks() <= MAX_LONG_TASKS, "at most " + MAX_LONG_TASKS + " long tasks: " + chart);
        assertTrue(chart.longTaskMaxMs() < LONGEST_TASK_MS, "no long task of " + LONGEST_TASK_MS + " ms: " + chart);
        assertTrue(blocking < MAX_BLOCKING_MS, "main thread blocked " + blocking + " ms of 5000 (beyond 50 ms per task)");
        assertEquals(List.of(), Chromium.errors(Chromium.console(page.driver)), "browser console errors");
    }

    private static long chartDraws(Dashboard page) {
        return ((Number) page.js("return window.quotecast.chart.draws")).longValue();
    }

    private static long number(Map<String, Object> stats, String name) {
        return ((Number) stats.get(name)).longValue();
    }
}
