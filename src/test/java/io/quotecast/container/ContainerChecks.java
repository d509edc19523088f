package io.quotecast.container;

import io.quotecast.behaviour.ProtocolPromises;
import io.quotecast.behaviour.SlowClientBehaviour;
import io.quotecast.behaviour.SubscriptionBehaviour;
import io.quotecast.testing.Eventually;
import io.quotecast.testing.StreamServer;
import io.quotecast.testing.RawHttp;
import io.quotecast.testing.PrometheusText;
import io.quotecast.testing.TestClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WAR exactly as {@code mvn package} ships it ({@code target/quotecast.war}), deployed by Arquillian
 * into a real application server and spoken to only over the wire, as a client would.
 *
 * <p>The server JVM was started with Quotecast settings as system properties (pom.xml: 5000 ticks/s,
 * frames of at most 4096 bytes, a client stuck for 8 s closed), so each check of a limit also
 * checks that the settings reach the application. The tests run in order: deploy, the protocol,
 * the behaviours every deployment shares with the standalone server ({@link ProtocolPromises},
 * {@link SlowClientBehaviour}, {@link SubscriptionBehaviour}: orders 500 to 599, through the
 * server's own send path: TyrusWriterSink, UndertowFrameSink), undeploy (the feed stops, clients get 1001, nothing leaks), redeploy.
 *
 * <p>Every server gets all of these; a subclass may add more checks between the orders 100 and 899.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ContainerChecks implements ProtocolPromises, SlowClientBehaviour, SubscriptionBehaviour {

    static final String DEPLOYMENT = "quotecast";
    static final File SHIPPED_WAR = new File("target/quotecast.war");
    /** Generous but bounded: a cold application server on a shared 2-core machine. */
    static final Duration DEPLOYED_WITHIN = Duration.ofSeconds(120);
    static final Pattern LEAK_WARNING = Pattern.compile(
            "(?i)(leak|failed to stop|appears to have started a thread|has not been stopped|ThreadLocal with key)");

    static final ApplicationServer SERVER = new ApplicationServer();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TestClient.TIMEOUT).build();

    /** Unmanaged, so the tests time and repeat deploy and undeploy; not testable: the WAR is unchanged. */
    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static WebArchive shippedWar() {
        assertTrue(SHIPPED_WAR.isFile(), "mvn package builds " + SHIPPED_WAR);
        return ShrinkWrap.createFromZipFile(WebArchive.class, SHIPPED_WAR);
    }

    /** Where the server log stood before the first deploy: the application must not log a stack trace. */
    static long logAtStart;

    @ArquillianResource
    Deployer deployer;

    @Override
    public StreamServer server() {
        return SERVER;
    }

    /** connection.stuckTimeoutMillis, a system property of the server JVM (the default is 30 s). */
    @Override
    public long stuckTimeoutMillis() {
        return SERVER.stuckTimeoutMillis;
    }

    @Test
    @Order(1)
    void theShippedWarDeploysAndStreamsQuotes() {
        assertEquals("quotecast.war", shippedWar().getName(), "the archive name gives the context root /quotecast");
        logAtStart = SERVER.logLength();
        deployAndAwaitFirstQuote("deploy");
        serverLogIsWritten();
        assertTrue(SERVER.quotecastThreads().contains("quotecast-feed"), "the feed runs in the server JVM");
    }

    /** The start of the warning Open Liberty's start-up log gives under the portable path, and no other server's. */
    static final String PORTABLE_CAVEAT = "connection.writePath=portable on Open Liberty: a client that stops reading";

    /** Whether this server's start-up log warns of the portable path ({@link #PORTABLE_CAVEAT}): Liberty's only. */
    boolean warnsOfThePortablePath() {
        return false;
    }

    /** Where a server's own log can come up lost, makes sure it is written before the checks that read it; nothing here. */
    void serverLogIsWritten() {
    }

    @Test
    @Order(10)
    void theDashboardIsServedAtTheContextRoot() throws Exception {
        HttpResponse<String> page = get(SERVER.page("/"));
        assertEquals(200, page.statusCode());
        assertEquals(Files.readString(Path.of("webapp", "index.html")), page.body(), "the dashboard's index.html");
    }

    /** The chart library from its WebJar in WEB-INF/lib, served by the container with the page's headers. */
    @Test
    @Order(10)
    void theChartLibraryIsServedFromItsWebJarInTheWar() throws Exception {
        HttpResponse<String> library = get11(SERVER.page("/" + io.quotecast.testing.WebJar.UPLOT_MODULE));
        assertEquals(200, library.statusCode(), library.uri().toString());
        assertTrue(library.headers().firstValue("content-type").orElse("").contains("javascript"), library.headers().toString());
        assertTrue(library.headers().firstValue("content-security-policy").orElse("").contains("script-src 'self'"),
                library.headers().toString());
        assertTrue(library.body().contains("export { uPlot as default }"), "the ES module build");
    }

    /** The AsyncAPI document under the context path, as the repository holds it, served by the container's default servlet. */
    @Test
    @Order(10)
    void theAsyncApiDocumentIsServedUnderTheContextPathWithAValidator() throws Exception {
        HttpResponse<String> document = get11(SERVER.page("/asyncapi.json"));
        assertEquals(200, document.statusCode(), document.uri().toString());
        assertTrue(document.headers().firstValue("content-type").orElse("").startsWith("application/json"),
                document.headers().toString());
        assertTrue(document.headers().firstValue("etag").isPresent() || document.headers().firstValue("last-modified").isPresent(),
                "a cache validator: " + document.headers());
        assertEquals("nosniff", document.headers().firstValue("x-content-type-options").orElse(null), document.headers().toString());
        assertEquals(Files.readString(Path.of("webapp", "asyncapi.json")), document.body());
    }

    @Test
    @Order(11)
    void helloComesFirstAndTheOfferedSubprotocolIsSelected() {
        try (TestClient client = SERVER.connect("quotecast.v1")) {
            assertEquals("quotecast.v1", client.subprotocol());
            JsonObject hello = client.next();
            assertEquals("hello", hello.getString("type"), hello.toString());
            assertEquals("quotecast.v1", hello.getString("protocol"));
            assertTrue(hello.getString("server").startsWith("Quotecast/"), hello.toString());
            assertEquals(50, hello.getInt("symbols"));
        }
    }

    @Test
    @Order(12)
    void listGivesTheFiftySymbols() {
        try (TestClient client = SERVER.connect()) {
            client.next("hello");
            client.send("{\"action\":\"list\"}");
            List<JsonObject> symbols = client.next("symbols").getJsonArray("symbols").getValuesAs(JsonObject.class);
            assertEquals(50, symbols.size());
            assertTrue(symbols.stream().anyMatch(s -> s.getString("symbol").equals("ACME")), symbols.toString());
        }
    }

    @Test
    @Order(13)
    void subscribeIgnoresCaseAndSendsTheSnapshotThenLiveQuotes() {
        try (TestClient client = SERVER.connect("quotecast.v1")) {
            client.next("hello");
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"acme\",\"Globx\"]}");
            assertEquals(Set.of("ACME", "GLOBX"), strings(client.next("subscribed")));
            JsonObject snapshot = client.next(quoteOf("ACME"));
            assertTrue(snapshot.getBoolean("snapshot", false), "the first ACME quote is the snapshot: " + snapshot);
            long seq = snapshot.getJsonNumber("seq").longValue();
            for (int i = 0; i < 3; i++) {
                JsonObject live = client.next(quoteOf("ACME"));
                assertFalse(live.containsKey("snapshot"), live.toString());
                assertEquals(++seq, live.getJsonNumber("seq").longValue(), "live quotes follow the snapshot, every tick");
            }
            client.next(quoteOf("GLOBX"));
        }
    }

    @Test
    @Order(14)
    void symbolsInTheUrlSubscribeWithoutAMessage() {
        try (TestClient client = TestClient.connect(SERVER.stream("?symbols=acme,GLOBX"))) {
            client.next("hello");
            assertEquals(Set.of("ACME", "GLOBX"), strings(client.next("subscribed")));
            client.next(quoteOf("ACME"));
            client.next(quoteOf("GLOBX"));
        }
    }

    @Test
    @Order(15)
    void unsubscribeStopsTheQuotesOfThatSymbol() {
        try (TestClient client = TestClient.connect(SERVER.stream("?symbols=ACME,GLOBX"))) {
            client.next(quoteOf("GLOBX"));
            client.send("{\"action\":\"unsubscribe\",\"symbols\":[\"globx\"]}");
            assertEquals(Set.of("GLOBX"), strings(client.next("unsubscribed")));
            // GLOBX ticks about 10 times a second: 20 ACME quotes later, none of GLOBX may follow the reply.
            for (int i = 0; i < 20; i++) {
                client.next(quoteOf("ACME"));
            }
            List<JsonObject> all = client.history();
            int reply = indexOf(all, "unsubscribed");
            assertTrue(all.subList(reply, all.size()).stream().noneMatch(quoteOf("GLOBX")), "no GLOBX after unsubscribed");
        }
    }

    @Test
    @Order(20)
    void badInputIsAnsweredAndTheConnectionStaysUsable() {
        try (TestClient client = SERVER.connect()) {
            client.next("hello");
            client.sendMalformed("{\"action\": subscribe");
            assertError(client.next("error"), "bad_request");
            client.sendMalformed("{\"action\":\"buy\",\"symbols\":[\"ACME\"]}");
            JsonObject unknownAction = client.next("error");
            assertError(unknownAction, "unknown_action");
            assertEquals("buy", unknownAction.getString("action"));
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\",\"NOPE\"]}");
            JsonObject unknownSymbol = client.next("error");
            assertError(unknownSymbol, "unknown_symbol");
            assertTrue(unknownSymbol.getString("message").contains("NOPE"), unknownSymbol.toString());
            assertEquals(Set.of("ACME"), strings(client.next("subscribed")), "the rest of the request still applies");
            client.next(quoteOf("ACME"));
            assertFalse(client.isClosedByServer());
        }
    }

    /** feed.ticksPerSecond=5000 over 50 symbols: 100 ticks a second of each (the default gives 1). */
    @Test
    @Order(22)
    void theFeedRateComesFromTheServersSystemProperties() {
        try (TestClient client = TestClient.connect(SERVER.stream("?symbols=ACME"))) {
            client.next(quoteOf("ACME"));
            JsonObject first = client.next(quoteOf("ACME"));
            JsonObject last = first;
            while (ts(last) - ts(first) < 2_000) {
                last = client.next(quoteOf("ACME"));
            }
            double perSecond = (seq(last) - seq(first)) * 1000.0 / (ts(last) - ts(first));
            double expected = SERVER.ticksPerSecond / 50;
            assertTrue(perSecond > expected / 2 && perSecond < expected * 2,
                    "ACME ticks " + perSecond + "/s, expected about " + expected);
        }
    }

    /** connection.maxFrameBytes=4096 (the default is 16384): an 8 KB frame closes the connection with 1009. */
    @Test
    @Order(23)
    void aFrameAboveTheConfiguredLimitClosesWith1009() {
        try (TestClient client = SERVER.connect()) {
            client.next("hello");
            client.sendMalformed("{\"action\":\"list\",\"padding\":\"" + "x".repeat(2 * SERVER.maxFrameBytes) + "\"}");
            assertEquals(1009, client.awaitClose());
            SERVER.reportClose("one 8 KB frame", client);
        }
        try (TestClient client = SERVER.connect()) {
            client.next("hello");
            client.sendMalformed("{\"action\":\"list\",\"padding\":\"" + "x".repeat(SERVER.maxFrameBytes - 100) + "\"}");
            assertEquals(50, client.next("symbols").getJsonArray("symbols").size(), "a frame within the limit is served");
        }
    }

    /** The same limit however the frame arrives: one frame, fragments, or far above any buffer. */
    @Test
    @Order(24)
    void anOversizedMessageClosesWith1009HoweverItIsSentAndDisturbsNoOneElse() {
        try (TestClient bystander = TestClient.connect(SERVER.stream("?symbols=ACME"))) {
            bystander.next(quoteOf("ACME"));
            assertEquals(1009, closeAfterSendingInFragments(512), "in 512-byte fragments");
            assertEquals(1009, closeAfterSendingInFragments(2048), "in 2048-byte fragments");
            try (TestClient client = SERVER.connect()) {
                client.next("hello");
                client.sendRegardless("{\"action\":\"list\",\"padding\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}");
                int code = client.awaitCloseOrReset();
                assertTrue(code == 1009 || code == TestClient.RESET, "a 3 MB frame: 1009 (or reset mid-send), not " + code);
                SERVER.reportClose("one 3 MB frame", client);
            }
            for (int i = 0; i < 5; i++) {
                bystander.next(quoteOf("ACME"));
            }
            assertFalse(bystander.isClosedByServer());
        }
    }

    @Test
    @Order(30)
    void historyReturnsBars() {
        try (TestClient client = SERVER.connect()) {
            client.next("hello");
            client.send("{\"action\":\"history\",\"symbol\":\"acme\",\"interval\":\"1s\",\"limit\":5}");
            JsonObject reply = client.next("bars");
            assertEquals("ACME", reply.getString("symbol"));
            assertEquals("1s", reply.getString("interval"));
            List<JsonObject> bars = reply.getJsonArray("bars").getValuesAs(JsonObject.class);
            assertTrue(!bars.isEmpty() && bars.size() <= 5, reply.toString());
            long previous = Long.MIN_VALUE;
            for (JsonObject bar : bars) {
                long t = bar.getJsonNumber("t").longValue();
                assertTrue(t > previous && t % 1000 == 0, "oldest first, on the second: " + reply);
                previous = t;
                double low = bar.getJsonNumber("l").doubleValue();
                double high = bar.getJsonNumber("h").doubleValue();
                for (String price : List.of("o", "c")) {
                    double value = bar.getJsonNumber(price).doubleValue();
                    assertTrue(low <= value && value <= high, "l <= " + price + " <= h: " + bar);
                }
                assertTrue(bar.getJsonNumber("v").longValue() >= 0, bar.toString());
            }
        }
    }

    @Test
    @Order(31)
    void resumeWithSinceReplaysEveryMissedTickInOrder() {
        long lastSeen;
        try (TestClient before = TestClient.connect(SERVER.stream("?symbols=ACME"))) {
            before.next(quoteOf("ACME"));
            lastSeen = seq(before.next(quoteOf("ACME")));
        }
        try (TestClient watcher = TestClient.connect(SERVER.stream("?symbols=ACME"))) {
            // the "dropped" client misses a couple of seconds of ticks
            while (seq(watcher.next(quoteOf("ACME"))) < lastSeen + 20) {
                // wait
            }
        }
        try (TestClient resumed = SERVER.connect()) {
            resumed.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"],\"since\":{\"ACME\":" + lastSeen + "}}");
            resumed.next("subscribed");
            for (long expected = lastSeen + 1; expected <= lastSeen + 30; expected++) {
                JsonObject quote = resumed.next(quoteOf("ACME"));
                assertFalse(quote.containsKey("snapshot"), "replayed ticks are plain quotes: " + quote);
                assertEquals(expected, seq(quote), "contiguous seq from since + 1");
            }
        }
    }

    /** /health under the WAR's context path, for a load balancer's health check. */
    @Test
    @Order(32)
    void healthIsUpUnderTheContextPath() throws Exception {
        HttpResponse<String> response = get11(SERVER.page("/health"));
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        JsonObject health = Json.createReader(new StringReader(response.body())).readObject();
        assertEquals("UP", health.getString("status"), health.toString());
        assertEquals("RUNNING", health.getJsonObject("feed").getString("state"), health.toString());
        assertTrue(health.getJsonObject("connections").getInt("open") >= 0, health.toString());
    }

    /** /metrics under the WAR's context path: Prometheus text with Quotecast's series and the JVM's. */
    @Test
    @Order(33)
    void metricsArePrometheusTextWithTheNamedSeries() throws Exception {
        try (TestClient client = TestClient.connect(SERVER.stream("?symbols=ACME"))) {
            client.next(quoteOf("ACME"));
            HttpResponse<String> response = get11(SERVER.page("/metrics"));
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                    response.headers().toString());
            PrometheusText metrics = PrometheusText.parse(response.body());
            assertTrue(metrics.value("quotecast_connections_open") >= 1, metrics.toString());
            assertTrue(metrics.value("quotecast_connections_accepted_total") >= 1);
            assertEquals(0, metrics.value("quotecast_connections_refused_total", "reason=\"max_connections\""));
            assertTrue(metrics.value("quotecast_subscriptions") >= 1);
            assertTrue(metrics.value("quotecast_quotes_sent_total") >= 1);
            assertTrue(metrics.value("quotecast_bytes_sent_total") > 0);
            assertTrue(metrics.has("quotecast_quotes_conflated_total"));
            assertTrue(metrics.has("quotecast_frames_queued"));
            assertTrue(metrics.has("quotecast_closes_total"), "earlier tests closed connections");
            assertTrue(metrics.value("quotecast_feed_ticks_total") > 0);
            assertTrue(metrics.has("quotecast_feed_lag_seconds"));
            assertTrue(metrics.has("jvm_memory_used_bytes", "area=\"heap\""));
            assertTrue(metrics.value("jvm_threads_live_threads") > 0);
        }
    }

    /** Every write path Quotecast has: the portable one and each container's accelerated one. */
    static final List<String> WRITE_PATHS = List.of("portable", "tyrus-writer", "undertow", "liberty", "jetty-core", "tyrus-grizzly");

    /**
     * The write path this server's connections take under {@code connection.writePath=auto}: its
     * accelerated one where Quotecast has one (Tyrus, Undertow, Liberty, Jetty), else the portable one.
     */
    String expectedWritePath() {
        return "portable";
    }

    /** Whether the server has JSON-P of its own (every EE server); a servlet container has none and uses the WAR's. */
    boolean serverHasJsonP() {
        return true;
    }

    /**
     * The start-up log names the write path, and every connection really takes it: counted per path in
     * /metrics, so that a silent fallback to the portable path would show.
     */
    @Test
    @Order(36)
    void connectionsTakeTheWritePathTheStartUpLogNames() throws Exception {
        String expected = expectedWritePath();
        // it.writePath: an execution that runs the whole suite with connection.writePath set (it-liberty-portable)
        String setting = System.getProperty("it.writePath", "auto");
        assertTrue(SERVER.logSince(logAtStart).stream().anyMatch(line -> line.contains("write path: " + expected + " (connection.writePath=" + setting)),
                "the start-up log names write path " + expected + " in " + SERVER.log);
        assertOnlyWritePath(expected);
    }

    /**
     * One JSON-P API in the application: the server's where it has one (the WAR's own copy must not win
     * over it), the WAR's on a servlet container; either way every frame of these checks is encoded with it.
     */
    @Test
    @Order(37)
    void jsonPComesFromTheServerWhereItHasOneAndFromTheWarElsewhere() {
        String expected = "JSON-P: API from " + (serverHasJsonP() ? "the server" : "the WAR");
        assertTrue(SERVER.logSince(logAtStart).stream().anyMatch(line -> line.contains(expected)),
                "the start-up log says '" + expected + "' in " + SERVER.log);
    }

    void assertOnlyWritePath(String expected) throws Exception {
        try (TestClient client = TestClient.connect(SERVER.stream("?symbols=ACME"))) {
            client.next(quoteOf("ACME"));
            PrometheusText metrics = PrometheusText.parse(get11(SERVER.page("/metrics")).body());
            assertTrue(metrics.value("quotecast_connections_write_path_total", "path=\"" + expected + "\"") >= 1, metrics.toString());
            for (String other : WRITE_PATHS) {
                if (!other.equals(expected)) {
                    assertFalse(metrics.has("quotecast_connections_write_path_total", "path=\"" + other + "\""),
                            "no connection on " + other + ": " + metrics);
                }
            }
        }
    }

    /** One log line per connection open and close, with the client's address as the container reports it. */
    @Test
    @Order(34)
    void everyConnectionIsLoggedWithItsAddressAtOpenAndClose() {
        long before = SERVER.logLength();
        try (TestClient client = SERVER.connect()) {
            client.next("hello");
        }
        Eventually.await("the open and close lines in " + SERVER.log, () -> {
            List<String> lines = SERVER.logSince(before);
            return lines.stream().anyMatch(line -> line.contains("connection open: address=127.0.0.1"))
                    && lines.stream().anyMatch(line -> line.contains("connection closed: address=127.0.0.1")
                    && line.contains("code=") && line.contains("bytesSent="));
        }, Duration.ofSeconds(20));
    }

    /**
     * connection.pingSeconds=1 in the server JVM: a client streaming quotes is pinged every second,
     * answers (the JDK's client does by itself) and stays; the pings show in /metrics as nothing
     * closed with 1001 meanwhile.
     */
    @Test
    @Order(35)
    void aClientAnsweringKeepalivePingsStaysConnectedWhileQuotesStream() throws Exception {
        assertEquals(1, SERVER.pingSeconds, "pom.xml starts the server with -Dconnection.pingSeconds=1");
        // Counted before and after, not absolute: a client of an earlier check that went away unseen
        // (GlassFish has been seen to miss a close right after the hello) is closed for its missing pong.
        double closedForNoPong = PrometheusText.parse(get11(SERVER.page("/metrics")).body())
                .sum("quotecast_closes_total", "code=\"1001\"");
        try (TestClient client = TestClient.connect(SERVER.stream("?symbols=ACME"))) {
            client.next(quoteOf("ACME"));
            long start = System.nanoTime();
            while (System.nanoTime() - start < Duration.ofSeconds(5).toNanos()) {
                client.next(quoteOf("ACME")); // 10 a second: the pings go out between quotes
            }
            assertFalse(client.isClosedByServer(), "closed: " + client.closeReason());
        }
        PrometheusText metrics = PrometheusText.parse(get11(SERVER.page("/metrics")).body());
        assertEquals(closedForNoPong, metrics.sum("quotecast_closes_total", "code=\"1001\""),
                "no client closed for a missing pong while this one streamed");
    }

    /** security.tokens=optional on this server (pom.xml): a page of another site is refused before any token matters. */
    @Test
    @Order(50)
    void aForeignOriginIsRefusedWith403() {
        assertRefusedAtTheHandshake("/quotes", Map.of("Origin", "https://evil.example"), 403, "origin");
    }

    @Test
    @Order(51)
    void theServersOwnOriginIsAllowed() {
        RawHttp response = RawHttp.handshake(SERVER.httpPort, ApplicationServer.CONTEXT + "/quotes",
                Map.of("Origin", "http://127.0.0.1:" + SERVER.httpPort));
        assertEquals(101, response.status(), response.toString());
    }

    @Test
    @Order(52)
    void anExpiredTokenIsRefusedWith401() {
        String expired = io.quotecast.security.MintToken.mint(SERVER.tokenSecret, "ann", null, java.time.Instant.now().minusSeconds(60));
        assertRefusedAtTheHandshake("/quotes", Map.of("Authorization", "Bearer " + expired), 401, "token expired");
    }

    /**
     * A handshake the WAR refuses: answered with {@code status} by its servlet filter, before the upgrade,
     * the body naming the reason. A server that upgrades in a filter of its own ahead of the WAR's
     * overrides this (Jetty: the configurator's refusal then closes with 1008 right after the handshake).
     */
    void assertRefusedAtTheHandshake(String pathAndQuery, Map<String, String> headers, int status, String reason) {
        RawHttp response = RawHttp.handshake(SERVER.httpPort, ApplicationServer.CONTEXT + pathAndQuery, headers);
        assertEquals(status, response.status(), response.toString());
        assertTrue(response.body().contains(reason), response.body());
    }

    @Test
    @Order(53)
    void aTokenNamesTheUserAndItsSymbolsClaimLimitsTheSubscription() {
        String token = SERVER.token("ann", List.of("ACME"));
        try (TestClient client = TestClient.connect(SERVER.stream("?access_token=" + token))) {
            assertEquals("ann", client.next("hello").getString("user"));
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\",\"GLOBX\"]}");
            JsonObject error = client.next("error");
            assertError(error, "forbidden");
            assertTrue(error.getString("message").contains("GLOBX"), error.toString());
            assertEquals(Set.of("ACME"), strings(client.next("subscribed")));
            client.next(quoteOf("ACME"));
        }
    }

    @Test
    @Order(54)
    void thePageIsServedWithSecurityHeadersAndItsCharset() throws Exception {
        HttpResponse<String> page = get(SERVER.page("/"));
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"),
                page.headers().toString());
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(null));
        String type = page.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase();
        assertTrue(type.startsWith("text/html") && type.contains("charset=utf-8"), type);
    }

    /**
     * Whatever the tests sent, the application logged no exception of its own. One exception of the
     * container's is no fault of ours: Tyrus in GlassFish logs the write it cancels (a
     * CancellationException, at WARNING) when a stuck client is closed with its write in flight.
     */
    @Test
    @Order(899)
    void theApplicationLoggedNoStackTrace() {
        List<String> log = SERVER.logSince(logAtStart);
        List<String> ours = new ArrayList<>();
        boolean cancelledWrite = false;
        for (String line : log) {
            if (line.contains("TyrusServletWriter.onError")) {
                cancelledWrite = true;
            } else if (!line.startsWith("\t") && !line.startsWith(" ")
                    && !line.startsWith("java.util.concurrent.CancellationException")) {
                cancelledWrite = false; // a new record, or another exception
            }
            if (!cancelledWrite && (line.contains("at io.quotecast.")
                    || line.contains("io.quotecast.websocket.QuoteEndpoint.error"))) {
                ours.add(line);
            }
        }
        assertEquals(List.of(), ours, "stack traces through Quotecast code in " + SERVER.log);
    }

    /** Undeploy: connected clients get 1001, the feed and sender threads stop, and nothing leaks. */
    @Test
    @Order(900)
    void undeployStopsTheFeedAndLeavesNoThreadOrLeakWarning() {
        long logBefore = SERVER.logLength();
        try (TestClient subscribed = TestClient.connect(SERVER.stream("?symbols=ACME"));
             TestClient idle = SERVER.connect("quotecast.v1")) {
            subscribed.next(quoteOf("ACME"));
            idle.next("hello");
            long start = System.nanoTime();
            deployer.undeploy(DEPLOYMENT);
            SERVER.report("undeploy", millisSince(start));
            assertEquals(1001, subscribed.awaitClose(), "a subscribed client is told the server is going away");
            assertEquals(1001, idle.awaitClose(), "so is a client that subscribed to nothing");
        }
        assertNoQuotecastThreadsAndNoLeakWarning(logBefore);
    }

    /**
     * security.tokens=required, set in the running server as an operator would, applies at the next deploy:
     * a client without a token is refused, one with a token streams. The setting is removed afterwards.
     */
    @Test
    @Order(905)
    void withTokensRequiredAClientWithoutATokenIsRefusedAndOneWithATokenStreams() {
        SERVER.systemProperty("security.tokens", "required");
        try {
            deployer.deploy(DEPLOYMENT);
            Eventually.await("the WAR answers", () -> {
                try {
                    return get(SERVER.page("/")).statusCode() == 200;
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            }, DEPLOYED_WITHIN);
            assertRefusedAtTheHandshake("/quotes?symbols=ACME", Map.of(), 401, "no token");
            try (TestClient client = TestClient.connect(SERVER.stream("?symbols=ACME"),
                    Map.of("Authorization", "Bearer " + SERVER.token("bob", null)))) {
                assertEquals("bob", client.next("hello").getString("user"));
                client.next(quoteOf("ACME"), DEPLOYED_WITHIN);
            }
        } finally {
            deployer.undeploy(DEPLOYMENT);
            SERVER.systemProperty("security.tokens", null);
        }
    }

    /**
     * connection.writePath=portable, set as an operator would, applies at the next deploy: the start-up log
     * names the portable path and every connection takes it, on every server. The setting is removed afterwards.
     */
    @Test
    @Order(907)
    void withTheWritePathSetToPortableEveryConnectionTakesThePortablePath() throws Exception {
        SERVER.systemProperty("connection.writePath", "portable");
        try {
            long before = SERVER.logLength();
            deployAndAwaitFirstQuote("deploy-portable");
            List<String> startUp = SERVER.logSince(before);
            assertTrue(startUp.stream().anyMatch(line -> line.contains("write path: portable (connection.writePath=portable")),
                    "the start-up log names the portable path in " + SERVER.log);
            assertEquals(warnsOfThePortablePath(), startUp.stream().anyMatch(line -> line.contains(PORTABLE_CAVEAT)),
                    "whether the start-up log warns of the portable path on this server, in " + SERVER.log);
            assertOnlyWritePath("portable");
        } finally {
            deployer.undeploy(DEPLOYMENT);
            SERVER.systemProperty("connection.writePath", null);
        }
    }

    /** Redeploy into the same server JVM: quotes again, and a second undeploy is as clean as the first. */
    @Test
    @Order(910)
    void redeployWorks() {
        deployAndAwaitFirstQuote("redeploy");
        long logBefore = SERVER.logLength();
        deployer.undeploy(DEPLOYMENT);
        assertNoQuotecastThreadsAndNoLeakWarning(logBefore);
    }

    // ---------------------------------------------------------------------------------------------

    /** Deploys, then times the first page and the first quote as a client sees them. */
    void deployAndAwaitFirstQuote(String what) {
        long start = System.nanoTime();
        deployer.deploy(DEPLOYMENT);
        long deployed = millisSince(start);
        SERVER.report(what, deployed);
        awaitServing(what, start);
    }

    /** Waits until the WAR answers and streams, and reports how long that took since {@code start} ({@link System#nanoTime}). */
    void awaitServing(String what, long start) {
        Eventually.await("the dashboard answers 200", () -> {
            try {
                return get(SERVER.page("/")).statusCode() == 200;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, DEPLOYED_WITHIN);
        long connect = System.nanoTime();
        try (TestClient client = TestClient.connect(SERVER.stream("?symbols=ACME"))) {
            client.next(quoteOf("ACME"), DEPLOYED_WITHIN);
            long firstQuote = millisSince(start);
            SERVER.report(what + "-to-first-quote", firstQuote);
            SERVER.report(what + "-connect-to-first-quote", millisSince(connect));
            client.next(frame -> "quote".equals(frame.getString("type", null)) && !frame.containsKey("snapshot"));
        }
    }

    void assertNoQuotecastThreadsAndNoLeakWarning(long logBefore) {
        // The listener waits for the feed and sender threads to end; allow the container a little slack.
        long start = System.nanoTime();
        AtomicReference<Set<String>> left = new AtomicReference<>();
        try {
            Eventually.await("no quotecast-* thread left in the " + SERVER.name + " JVM", () -> {
                left.set(SERVER.quotecastThreads());
                return left.get().isEmpty();
            }, Duration.ofSeconds(30));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; still running: " + left.get() + ", where:\n" + SERVER.quotecastStacks(), e);
        }
        SERVER.report("threads-gone-after-undeploy", millisSince(start));
        List<String> log = SERVER.logSince(logBefore);
        List<String> leaks = log.stream().filter(line -> LEAK_WARNING.matcher(line).find()).toList();
        assertEquals(List.of(), leaks, "class-loader leak warnings in " + SERVER.log);
        List<String> warnings = log.stream()
                .filter(line -> line.contains("WARN") || line.contains("SEVERE") || line.contains("ERROR"))
                .collect(Collectors.toCollection(ArrayList::new));
        if (!warnings.isEmpty()) {
            System.out.println("server log warnings during undeploy on " + SERVER.name + ": " + warnings);
        }
    }

    static int closeAfterSendingInFragments(int fragment) {
        // Just over the limit, and only in the last fragment: a server that closes as soon as the limit
        // is passed then has no unread bytes of ours left, whose TCP reset could destroy its close frame
        // before the client reads it (Jetty did so when the message went on for 4 KB after the limit).
        String envelope = "{\"action\":\"list\",\"padding\":\"\"}";
        int length = SERVER.maxFrameBytes + fragment / 2;
        String message = "{\"action\":\"list\",\"padding\":\"" + "x".repeat(length - envelope.length()) + "\"}";
        try (TestClient client = SERVER.connect()) {
            client.next("hello");
            client.sendInFragments(message, fragment);
            int code = client.awaitClose();
            SERVER.reportClose(message.length() + " bytes in " + fragment + "-byte fragments", client);
            return code;
        }
    }

    /**
     * A GET over HTTP/1.1, as load balancers and Prometheus send it: GlassFish's Grizzly drops the
     * response headers of a request that offers an h2c upgrade, as the JDK's client does by default.
     */
    static HttpResponse<String> get11(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).version(HttpClient.Version.HTTP_1_1).timeout(TestClient.TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(TestClient.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertError(JsonObject error, String code) {
        assertEquals("error", error.getString("type"), error.toString());
        assertEquals(code, error.getString("code"), error.toString());
        assertFalse(error.getString("message").isBlank(), error.toString());
    }

    static Set<String> strings(JsonObject frame) {
        return frame.getJsonArray("symbols").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).collect(Collectors.toSet());
    }

    static int indexOf(List<JsonObject> frames, String type) {
        for (int i = 0; i < frames.size(); i++) {
            if (type.equals(frames.get(i).getString("type", null))) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " in " + frames);
    }

    static long seq(JsonObject quote) {
        return quote.getJsonNumber("seq").longValue();
    }

    static long ts(JsonObject quote) {
        return quote.getJsonNumber("ts").longValue();
    }

    static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }
}
