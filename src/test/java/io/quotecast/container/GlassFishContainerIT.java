package io.quotecast.container;

import io.quotecast.dashboard.Chromium;
import io.quotecast.dashboard.Dashboard;
import io.quotecast.testing.PausedClient;
import io.quotecast.testing.TestClient;
import io.quotecast.testing.ConfiguredSymbols;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped WAR on GlassFish 7 (Jakarta EE 10, Tyrus): everything {@link ContainerChecks} checks, and
 * the edge cases of the protocol on top. Runs in the failsafe execution {@code it-glassfish} only.
 */
class GlassFishContainerIT extends ContainerChecks {

    /** GlassFish's Tyrus: its writer, reached below the Jakarta API (TyrusWriterSink). */
    @Override
    String expectedWritePath() {
        return "tyrus-writer";
    }

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    /**
     * GlassFish 7.0.20 has come up, now and then, with its own log lost
     * ({@link ApplicationServer#restartGlassFishWhileItsLogIsLost}): restarted then, right after the first
     * deploy (Arquillian starts the server at the first deploy, not before), so that the checks that read
     * the log read what this server wrote.
     */
    @Override
    void serverLogIsWritten() {
        if (SERVER.restartGlassFishWhileItsLogIsLost()) {
            awaitServing("deploy-after-restart", System.nanoTime());
        }
    }

    @Test
    @Order(40)
    void theDashboardGoesLiveUnderTheWarsContextPathWithoutASetting() {
        Dashboard page = new Dashboard(CHROMIUM.driver()).open(SERVER.page("/"));
        page.waitState("live");
        assertEquals(SERVER.stream("").toString(), page.js("return window.quotecast.streamUrl"),
                "the stream URL derived from the page's own location keeps /quotecast");
        page.waitUntil("all 50 symbols listed", () -> ((Number) page.js(
                "return document.querySelectorAll('#rows tr[data-symbol]').length")).intValue() == 50);
        page.waitUntil("a live price on every row", () -> ((Number) page.js(
                "return document.querySelectorAll('#rows tr[data-price]').length")).intValue() == 50);
        Chromium.screenshot(CHROMIUM.driver(), "glassfish-desktop-light");
        assertEquals(List.of(), Chromium.errors(Chromium.console(CHROMIUM.driver())));
    }

    /** The chart under the WAR: uPlot from the WebJar in WEB-INF/lib, its history over the WAR's stream. */
    @Test
    @Order(42)
    void theChartOpensUnderTheWarWithItsLibraryFromTheWebJar() {
        Dashboard page = new Dashboard(CHROMIUM.driver()).open(java.net.URI.create(SERVER.page("/") + "#ACME"));
        page.waitState("live");
        page.waitUntil("ACME's chart drawn from its history", () -> page.js(
                "const c = window.quotecast.chart; return c.symbol === 'ACME' && c.drawn && c.drawn.count > 0") == Boolean.TRUE);
        page.waitUntil("the header shows ACME's last price", () -> !"—".equals(page.js(
                "return document.getElementById('chart-last').textContent")));
        Chromium.screenshot(CHROMIUM.driver(), "glassfish-chart-desktop-light");
        assertEquals(List.of(), Chromium.errors(Chromium.console(CHROMIUM.driver())));
        CHROMIUM.driver().get("about:blank"); // 5000 ticks/s would take the cores through every later check
    }

    /** With a token in the page URL's fragment, under the WAR: the page goes live as its user, on its symbols only. */
    @Test
    @Order(41)
    void theDashboardTakesATokenFromItsUrlFragmentUnderTheWar() {
        String token = SERVER.token("ann", List.of("ACME", "GLOBX", "INITE"));
        Dashboard page = new Dashboard(CHROMIUM.driver()).open(java.net.URI.create(SERVER.page("/") + "#token=" + token));
        page.waitState("live");
        assertEquals("ann", page.js("return window.quotecast.user"));
        assertEquals("", page.js("return location.hash"), "the token is out of the address bar");
        page.waitUntil("a live price on each of the token's three symbols", () -> ((Number) page.js(
                "return document.querySelectorAll('#rows tr[data-price]').length")).intValue() == 3);
        assertEquals(3L, ((Number) page.js("return document.querySelectorAll('#rows tr[data-symbol]').length")).longValue(),
                "list names only the symbols the token entitles to");
        assertEquals(List.of(), Chromium.errors(Chromium.console(CHROMIUM.driver())));
        page.js("sessionStorage.clear()");
        // The page would go on taking quotes, and the machine's two cores, through every later check.
        CHROMIUM.driver().get("about:blank");
    }

    /**
     * GlassFish, closing a session whose write waits on a client that does not read, cancels that
     * write along with the close frame behind it (Tyrus logs the CancellationException) and leaves
     * the socket open until the client goes: the client never finds 1008 nor a reset. What holds is
     * that the server dropped it: once it reads again it gets what was already on its way (the
     * kernel's buffers, a few MB) and then nothing more, although it was subscribed to every symbol
     * at 5000 ticks/s.
     */
    /**
     * GlassFish's own output buffers take megabytes for a client that stopped reading, and report
     * each write done once buffered: behind them, the outbox may never see the client fall behind
     * within the seconds this test waits, so the stream may come in order, without a jump. What
     * holds everywhere is checked by the behaviour itself: seq only moves forward, every symbol
     * comes, and the stream goes on once the client reads again.
     */
    @Override
    public void assertConflated(boolean jumped) {
        System.out.println("GlassFish, far-behind client: seq jumped (the outbox conflated): " + jumped);
    }

    @Override
    public void assertClosedAsStuck(PausedClient paused) {
        long most = 16 * 1024 * 1024;
        long bytes = paused.readUntilQuiet(Duration.ofSeconds(3), most);
        assertTrue(bytes < most, "the stuck client was dropped: it got " + bytes + " bytes, then nothing");
    }

    /**
     * On an application server wss is its https listener: GlassFish's, on its own self-signed certificate
     * (trusted by this client without checks: what is tested is the WAR behind TLS, not the certificate).
     */
    @Test
    @Order(60)
    void theWarStreamsOverTheHttpsPort() throws Exception {
        HttpClient tls = HttpClient.newBuilder().sslContext(trustingAnyCertificate()).connectTimeout(TestClient.TIMEOUT).build();
        URI wss = URI.create("wss://localhost:" + SERVER.httpsPort + ApplicationServer.CONTEXT + "/quotes?symbols=ACME");
        try (TestClient client = TestClient.connect(tls, wss, Map.of("Authorization", "Bearer " + SERVER.token("ann", List.of("ACME"))))) {
            assertEquals("ann", client.next("hello").getString("user"));
            client.next(quoteOf("ACME"));
        }
    }

    /** A trust manager that checks nothing, host name included (an X509ExtendedTrustManager does its own). */
    static SSLContext trustingAnyCertificate() throws Exception {
        X509ExtendedTrustManager anything = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {anything}, null);
        return context;
    }

    @Test
    @Order(100)
    void aClientOfferingNoSubprotocolIsServedTheSame() {
        try (TestClient client = SERVER.connect()) {
            assertEquals("", client.subprotocol());
            client.next("hello");
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            client.next("subscribed");
            assertTrue(client.next(quoteOf("ACME")).getBoolean("snapshot"));
        }
    }

    @Test
    @Order(101)
    void moreBadInputIsAnsweredAndTheConnectionStaysUsable() {
        try (TestClient client = SERVER.connect()) {
            client.next("hello");
            client.sendMalformed("[{\"action\":\"list\"}]");
            assertError(client.next("error"), "bad_request");
            client.sendMalformed("{\"action\":\"subscribe\"}");
            JsonObject missing = client.next("error");
            assertError(missing, "bad_request");
            assertTrue(missing.getString("message").contains("symbols"), missing.toString());
            client.sendBinary(new byte[] {1, 2, 3});
            assertError(client.next("error"), "bad_request");
            client.send("{\"action\":\"history\",\"symbol\":\"NOPE\",\"interval\":\"1s\"}");
            assertError(client.next("error"), "unknown_symbol");
            client.send("{\"action\":\"list\"}");
            assertEquals(ConfiguredSymbols.count(), client.next("symbols").getJsonArray("symbols").size());
            assertFalse(client.isClosedByServer());
        }
    }
}
