package io.quotecast.server;

import io.quotecast.testing.EdgeClient;
import io.quotecast.testing.Eventually;
import io.quotecast.testing.NodeProcess;
import io.quotecast.testing.ProcessCpu;
import io.quotecast.testing.PrometheusText;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.TestClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standalone node in its own process, started with a low open-file limit ({@code prlimit}), driven past it by
 * real clients: with {@code server.maxConnections=auto} the overflow is answered 503 at the handshake; with an
 * operator's number above what the process can open, the kernel refuses first (EMFILE) and the node answers
 * that too, warns and counts it. Either way no client waits for its own timeout, the node does not spin while
 * knocked on, a watcher keeps every tick, and newcomers get in once others leave. Plain and TLS.
 */
@RealParts
class OpenFileLimitTest {

    /** Low enough to fill quickly; the node's own descriptors (about 210 on the test class path) fit under it. */
    private static final int OPEN_FILES = 500;
    /** A client waits this long for an answer; a refusal must come well within it. */
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final Duration PROMPT = Duration.ofSeconds(1);

    @TempDir
    static Path dir;
    static Path keystore;

    @BeforeAll
    static void keystore() throws Exception {
        keystore = TlsTest.selfSignedKeystore(dir.resolve("edge.p12"));
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void pastTheDerivedLimitEveryNewcomerGets503AtOnce(boolean tls) throws Exception {
        try (NodeProcess node = start(tls, "auto")) {
            int limit = OPEN_FILES - 256; // the documented reserve: at least 256 descriptors
            assertTrue(node.output().contains("server.maxConnections=" + limit + " (auto: open-file limit " + OPEN_FILES),
                    "the start-up log says the limit and where it came from: " + node.output());
            new Crowd(node, tls).run(limit - 1, limit + 40, false); // the watcher holds one place
            PrometheusText metrics = metrics(node, tls);
            assertTrue(metrics.value("quotecast_connections_refused_total", "reason=\"max_connections\"") >= 40, metrics.toString());
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void whenTheKernelRefusesFirstTheNodeAnswersWarnsAndCounts(boolean tls) throws Exception {
        try (NodeProcess node = start(tls, "5000")) {
            assertTrue(node.output().contains("server.maxConnections=5000 is more than this process can open: its open-file limit is "
                    + OPEN_FILES), "the warning names both numbers: " + node.output());
            assertTrue(node.output().contains("ulimit -n") && node.output().contains("LimitNOFILE"), node.output());
            // the node opens what it can (about 280 here), the rest meet EMFILE
            new Crowd(node, tls).run(200, 420, true);
            Eventually.await("the rate-limited warning", () -> node.output().contains("out of file descriptors"));
            PrometheusText metrics = metrics(node, tls);
            assertTrue(metrics.value("quotecast_connections_refused_total", "reason=\"open_files\"") > 0, metrics.toString());
            long warnings = node.output().lines().filter(line -> line.contains("out of file descriptors")).count();
            assertTrue(warnings <= 4, "a warning a few seconds apart, not one per refusal: " + warnings);
        }
    }

    /** A watcher, then clients up to and past the limit, knocking while full, then some leave and a newcomer comes. */
    private record Crowd(NodeProcess node, boolean tls) {

        void run(int atLeastOpened, int attempts, boolean kernelRefuses) throws Exception {
            SSLContext context = tls ? TlsTest.trusting(keystore) : null;
            HttpClient http = HttpClient.newBuilder().sslContext(context != null ? context : SSLContext.getDefault())
                    .connectTimeout(TestClient.TIMEOUT).build();
            List<EdgeClient.Attempt> opened = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try (TestClient watcher = TestClient.connect(http, uri("?symbols=ACME"), Map.of())) {
                watcher.next(quoteOf("ACME"));
                List<Future<EdgeClient.Attempt>> futures = new ArrayList<>();
                for (int i = 0; i < attempts; i++) {
                    futures.add(pool.submit(() -> EdgeClient.upgrade(node.port(), PATIENCE, context)));
                }
                int refused = 0;
                for (Future<EdgeClient.Attempt> future : futures) {
                    EdgeClient.Attempt attempt = future.get();
                    if (attempt.outcome() == EdgeClient.Outcome.OPENED) {
                        opened.add(attempt);
                        continue;
                    }
                    refused++;
                    assertRefusedPromptly(attempt, kernelRefuses);
                }
                assertTrue(opened.size() >= atLeastOpened, "opened " + opened.size());
                assertTrue(refused > 0, "the crowd went past the limit");

                // full, and knocked on for 3 s, the node's CPU over that window: 2 clients each every 100 ms (up to 20 a second);
                // with TLS one (each refusal there costs the node a TLS handshake, about 6 ms of CPU in this C1-only JVM)
                AtomicBoolean knocking = new AtomicBoolean(true);
                List<Future<Integer>> knockers = new ArrayList<>();
                for (int i = 0; i < (tls ? 1 : 2); i++) {
                    knockers.add(pool.submit(() -> {
                        int knocks = 0;
                        while (knocking.get()) {
                            EdgeClient.Attempt knock = EdgeClient.upgrade(node.port(), PATIENCE, context);
                            assertRefusedPromptly(knock, kernelRefuses);
                            knocks++;
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                        }
                        return knocks;
                    }));
                }
                Duration cpuBefore = ProcessCpu.of(node.pid());
                long start = System.nanoTime();
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3));
                double cores = ProcessCpu.of(node.pid()).minus(cpuBefore).toNanos() / (double) (System.nanoTime() - start);
                knocking.set(false);
                int knocks = 0;
                for (Future<Integer> knocker : knockers) {
                    knocks += knocker.get();
                }
                assertTrue(knocks >= 5, "knocked " + knocks + " times");
                assertTrue(cores < 0.1, "the node while full and knocked on used " + cores + " cores");

                // some leave: a newcomer gets in
                for (int i = 0; i < 50; i++) {
                    opened.remove(opened.size() - 1).close();
                }
                EdgeClient.Attempt[] newcomer = new EdgeClient.Attempt[1];
                Eventually.await("a newcomer gets in once 50 left", () -> {
                    newcomer[0] = EdgeClient.upgrade(node.port(), PATIENCE, context);
                    newcomer[0].close();
                    return newcomer[0].outcome() == EdgeClient.Outcome.OPENED;
                });

                List<JsonObject> quotes = watcher.history().stream().filter(quoteOf("ACME")).toList();
                for (int i = 1; i < quotes.size(); i++) {
                    assertEquals(quotes.get(i - 1).getJsonNumber("seq").longValue() + 1, quotes.get(i).getJsonNumber("seq").longValue(),
                            "the watcher kept every tick");
                }
                assertTrue(quotes.size() >= 8, "the watcher kept streaming: " + quotes.size() + " ticks");
                assertTrue(!watcher.isClosedByServer());
            } finally {
                pool.shutdownNow();
                opened.forEach(EdgeClient.Attempt::close);
            }
        }

        private void assertRefusedPromptly(EdgeClient.Attempt attempt, boolean kernelRefuses) {
            assertTrue(attempt.outcome() != EdgeClient.Outcome.TIMED_OUT, "a client waited for its own timeout");
            assertTrue(attempt.took().compareTo(PROMPT) < 0, "refused after " + attempt.took().toMillis() + " ms");
            if (!kernelRefuses || !tls) {
                // the handshake's 503, or 1013 for one admitted meanwhile; the kernel's refusal is answered 503 too, but
                // over TLS (no TLS session yet) it can only be closed
                assertTrue(attempt.outcome() == EdgeClient.Outcome.REFUSED_503 || attempt.outcome() == EdgeClient.Outcome.REFUSED_1013
                        || kernelRefuses && attempt.outcome() == EdgeClient.Outcome.CLOSED, attempt.toString());
            }
            if (attempt.outcome() == EdgeClient.Outcome.REFUSED_503) {
                assertTrue(attempt.head().contains("Retry-After: 5"), attempt.head());
            }
        }

        URI uri(String query) {
            return URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + node.port() + "/quotes" + query);
        }
    }

    private static NodeProcess start(boolean tls, String maxConnections) {
        List<String> settings = new ArrayList<>(List.of("server.maxConnections", maxConnections, "feed.ticksPerSecond", "100"));
        if (tls) {
            settings.addAll(List.of("server.tls.keystore", keystore.toString(), "server.tls.password", TlsTest.PASSWORD));
        }
        return NodeProcess.withOpenFileLimit(OPEN_FILES, "open-files-" + (tls ? "tls-" : "") + maxConnections,
                settings.toArray(String[]::new));
    }

    private static PrometheusText metrics(NodeProcess node, boolean tls) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(tls ? TlsTest.trusting(keystore) : SSLContext.getDefault())
                .connectTimeout(TestClient.TIMEOUT).build();
        URI uri = URI.create((tls ? "https" : "http") + "://127.0.0.1:" + node.port() + "/metrics");
        try {
            return PrometheusText.parse(http.send(HttpRequest.newBuilder(uri).timeout(TestClient.TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new AssertionError("cannot scrape " + uri, e);
        }
    }
}
