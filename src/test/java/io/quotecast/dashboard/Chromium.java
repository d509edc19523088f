package io.quotecast.dashboard;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * One headless Debian Chromium, driven by Debian's chromedriver, shared by every dashboard test class of
 * the run (started by the first class that registers this extension, quit when the run ends).
 *
 * <p>Browser and driver are given explicitly, so Selenium Manager never runs (and the build sets
 * {@code SE_OFFLINE=true} in case it would). A missing Chromium fails the tests: it never skips them.
 */
public final class Chromium implements BeforeAllCallback {

    static final Path BROWSER = Path.of(System.getProperty("chromium.path", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"));
    static final Path SHOTS = Path.of(System.getProperty("screenshot.dir", "target/screenshots"));

    /** Keep a strong reference, or java.util.logging forgets the level: silences the harmless "Unable to find
     *  CDP implementation" warning (CDP commands go through chromedriver; getDevTools() is never used). */
    private static final java.util.logging.Logger CDP_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

    static {
        CDP_LOG.setLevel(Level.SEVERE);
    }

    private ChromeDriver driver;

    @Override
    public void beforeAll(ExtensionContext context) {
        driver = context.getRoot().getStore(ExtensionContext.Namespace.create(Chromium.class))
                .getOrComputeIfAbsent(Shared.class, key -> new Shared(start()), Shared.class).driver;
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Quits Chromium when the whole run is over. */
    private record Shared(ChromeDriver driver) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            driver.quit();
        }
    }

    private static ChromeDriver start() {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("the dashboard tests need Chromium and chromedriver at " + BROWSER + " and "
                    + DRIVER + " (Debian: apt-get install chromium chromium-driver; .ci/run installs them)");
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(logFile()) // chromedriver's and Chromium's stderr (dbus noise and the like)
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
                "--window-size=1280,800", "--force-device-scale-factor=1", "--lang=en-US",
                "--user-data-dir=" + profileDir());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL); // console messages and browser errors, read by every test
        options.setCapability("goog:loggingPrefs", logs);
        options.setPageLoadTimeout(Duration.ofSeconds(30));
        options.setScriptTimeout(Duration.ofSeconds(30));
        ChromeDriver driver = new ChromeDriver(service, options);
        // before any page script on every navigation: rAF frame times and long tasks for 5 s
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", resource("frame-probe.js")));
        return driver;
    }

    private static Path profileDir() {
        try {
            Path dir = Files.createTempDirectory("quotecast-chromium");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp directory left behind is harmless
        }
    }

    private static File logFile() {
        try {
            Path dir = Files.createDirectories(Path.of("target"));
            return dir.resolve("chromedriver.log").toFile();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resource(String name) {
        try (var in = Chromium.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource /dashboard/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- emulation -------------------------------------------------------------------------------

    /** The viewport in CSS px; {@code mobile} also emulates a phone (device pixel ratio 2, mobile viewport). */
    static void viewport(ChromeDriver d, int width, int height, boolean mobile) {
        d.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", width, "height", height, "deviceScaleFactor", mobile ? 2 : 1, "mobile", mobile));
    }

    /** {@code prefers-color-scheme}: "light" or "dark". */
    static void colorScheme(ChromeDriver d, String scheme) {
        d.executeCdpCommand("Emulation.setEmulatedMedia", Map.of(
                "features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    public static Path screenshot(ChromeDriver d, String name) {
        try {
            Files.createDirectories(SHOTS);
            Path out = SHOTS.resolve(name + ".png");
            Files.copy(d.getScreenshotAs(OutputType.FILE).toPath(), out, StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- console -------------------------------------------------------------------------------------

    /** The browser console since the previous call (each call drains it). */
    public static List<LogEntry> console(ChromeDriver d) {
        return new ArrayList<>(d.manage().logs().get(LogType.BROWSER).getAll());
    }

    /** Console errors: uncaught exceptions, failed loads, CSP violations, console.error. */
    public static List<String> errors(List<LogEntry> entries) {
        return entries.stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    // ---- frame probe (frame-probe.js) -------------------------------------------------------------

    record Frames(int count, double p50, double p95, double max, int over50ms, int longTasks, long longTaskMaxMs) {
        @Override
        public String toString() {
            return String.format("frames=%d p50=%.1fms p95=%.1fms max=%.1fms frames>50ms=%d longTasks=%d (longest %dms)",
                    count, p50, p95, max, over50ms, longTasks, longTaskMaxMs);
        }
    }

    static boolean probeDone(ChromeDriver d) {
        return Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript("return window.__probe && window.__probe.done"));
    }

    /** Frame times and long tasks that started at least {@code fromMs} after navigation (0: all of them). */
    @SuppressWarnings("unchecked")
    static Frames frames(ChromeDriver d, double fromMs) {
        Map<String, Object> p = (Map<String, Object>) ((JavascriptExecutor) d).executeScript(
                "const p = window.__probe; let t = p.start; const frames = [];"
                        + "for (const f of p.frames) { t += f; if (t - f >= arguments[0]) frames.push(f); }"
                        + "return {frames, longTasks: p.longTasks.filter(l => l.start >= arguments[0]).map(l => l.duration)};",
                fromMs);
        double[] f = ((List<Number>) p.get("frames")).stream().mapToDouble(Number::doubleValue).sorted().toArray();
        long[] lt = ((List<Number>) p.get("longTasks")).stream().mapToLong(Number::longValue).toArray();
        return new Frames(f.length, percentile(f, 50), percentile(f, 95), f.length == 0 ? 0 : f[f.length - 1],
                (int) java.util.Arrays.stream(f).filter(x -> x > 50).count(),
                lt.length, java.util.Arrays.stream(lt).max().orElse(0));
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(q / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
