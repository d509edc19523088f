package io.quotecast.dashboard;

import io.quotecast.testing.StreamServer;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The test page {@code src/test/resources/webapp/module-test/index.html}, served by a real server from the
 * test classpath beside {@code webapp/}, with the page's headers: a test imports one of {@code webapp/modules/}
 * into it, alone, without the dashboard's app.js, and drives it through its exports.
 */
final class ModulePage {

    private ModulePage() {
    }

    /**
     * Opens the page and imports {@code webapp/modules/<module>}; its exports are {@code window.under} for
     * the test's scripts. The browser's console is drained first.
     */
    static Dashboard open(ChromeDriver driver, StreamServer server, String module) {
        Dashboard page = new Dashboard(driver).open(server.page("/module-test/"));
        Object imported = driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "import('../modules/' + arguments[0]).then((m) => { window.under = m; done('ok'); },"
                        + " (e) => done(String(e)));",
                module);
        if (!"ok".equals(imported)) {
            throw new AssertionError("import of webapp/modules/" + module + ": " + imported);
        }
        return page;
    }
}
