package io.quotecast.dashboard;

import io.quotecast.testing.RealParts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** webapp/modules/frame-loop.js on its own, in Chromium, on the browser's real requestAnimationFrame. */
@RealParts
class FrameLoopModuleTest extends ModulePageTest {

    private static final String SETUP = """
            const t = window.t = { stats: { frames: 0, renderMsMax: 0, renderMsTotal: 0 }, calls: [], model: 0 };
            t.loop = window.under.createFrameLoop({ stats: t.stats });
            """;

    /** Two more animation frames, then what the parts were called with. */
    private static final String AFTER_TWO_FRAMES = "const done = arguments[arguments.length - 1];"
            + "requestAnimationFrame(() => requestAnimationFrame(() => done(t.calls)));";

    FrameLoopModuleTest() {
        super("frame-loop.js");
    }

    @BeforeEach
    void setUp() {
        page.js(SETUP);
    }

    @Test
    void aHundredUpdatesBeforeAFrameAreDrawnOnceWithTheLastValue() {
        Object before = page.js("""
                t.loop.add(() => { t.calls.push(t.model); return false; });
                for (let i = 1; i <= 100; i++) { t.model = i; t.loop.schedule(); }
                return t.calls.length;""");
        assertEquals(0L, before, "nothing is drawn outside a frame");
        page.waitUntil("the frame", () -> ((Number) page.js("return t.calls.length")).intValue() > 0);
        assertEquals(List.of(100L), page.driver.executeAsyncScript(AFTER_TWO_FRAMES), "one frame, drawing the last value");
        assertEquals(1L, page.js("return t.stats.frames"));
    }

    @Test
    void partsRunInTheirOrderAndOneWithWorkLeftGetsTheNextFramesUntilItIsDone() {
        page.js("""
                let left = 3;
                t.loop.add(() => { t.calls.push('rows'); return left-- > 0; });
                t.loop.add(() => { t.calls.push('chart'); return false; });
                t.loop.schedule();""");
        page.waitUntil("four frames", () -> ((Number) page.js("return t.stats.frames")).intValue() >= 4);
        assertEquals(List.of("rows", "chart", "rows", "chart", "rows", "chart", "rows", "chart"),
                page.driver.executeAsyncScript(AFTER_TWO_FRAMES), "four frames, then none");
        assertEquals(4L, page.js("return t.stats.frames"));
    }
}
