package io.quotecast.dashboard;

import io.quotecast.testing.ServerPerClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A test of one of {@code webapp/modules/} alone: the test page {@code src/test/resources/webapp/module-test/index.html},
 * served by a real server from the test classpath beside {@code webapp/}, with the page's headers, imports the
 * module without the dashboard's app.js; the test drives it through its exports ({@code window.under}).
 * Every test ends with no error in the browser's console.
 */
abstract class ModulePageTest {

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    /** No page of these tests connects: the server serves the files. */
    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "1");

    private final String module;
    Dashboard page;

    ModulePageTest(String module) {
        this.module = module;
    }

    /** Opens the page and imports the module; the browser's console is drained first. */
    @BeforeEach
    void importModule() {
        page = new Dashboard(CHROMIUM.driver()).open(server.page("/module-test/"));
        Object imported = page.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "import('../modules/' + arguments[0]).then((m) => { window.under = m; done('ok'); },"
                        + " (e) => done(String(e)));",
                module);
        if (!"ok".equals(imported)) {
            throw new AssertionError("import of webapp/modules/" + module + ": " + imported);
        }
    }

    @AfterEach
    void noConsoleErrors() {
        assertEquals(List.of(), Chromium.errors(Chromium.console(page.driver)), "browser console errors");
    }
}
