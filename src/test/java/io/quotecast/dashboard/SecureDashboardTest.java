package io.quotecast.dashboard;

import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.Tokens;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in real Chromium against a server with security.tokens=required: its own origin with
 * a token from the URL's fragment goes live; a page of another origin is refused; and the page says
 * why it was refused.
 */
@RealParts
class SecureDashboardTest {

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(Tokens.settings("required", "feed.ticksPerSecond", "100"));

    /** Another site: a page of its own, on another port, so another origin (the JDK's own HTTP server). */
    static HttpServer otherSite;

    @BeforeAll
    static void startOtherSite() throws IOException {
        otherSite = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        otherSite.createContext("/", exchange -> {
            byte[] page = "<!doctype html><meta charset=utf-8><title>Another site</title><p>not Quotecast"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        otherSite.start();
    }

    @AfterAll
    static void stopOtherSite() {
        otherSite.stop(0);
    }

    Dashboard page;

    @BeforeEach
    void freshSession() {
        page = new Dashboard(CHROMIUM.driver());
        CHROMIUM.driver().get(server.page("/nothing-here").toString());
        page.js("sessionStorage.clear(); localStorage.clear()");
        Chromium.console(CHROMIUM.driver()); // drain: each test reads only its own page's console
    }

    @Test
    void theOwnPageWithATokenInItsFragmentGoesLiveAndKeepsItForTheSession() {
        page.open(withToken(Tokens.valid("ann")));
        page.waitLive(50);
        assertEquals("ann", page.js("return window.quotecast.user"));
        assertEquals("", page.js("return location.hash"), "the token is taken out of the address bar");
        assertTrue(((String) page.js("return sessionStorage.getItem('quotecast.token')")).startsWith("ey"));
        assertEquals(null, page.js("return localStorage.getItem('quotecast.token')"), "never kept beyond the session");
        assertEquals(List.of(), Chromium.errors(Chromium.console(CHROMIUM.driver())));
    }

    @Test
    void aPageOfAnotherOriginIsRefusedWith403() {
        CHROMIUM.driver().get("http://127.0.0.1:" + otherSite.getAddress().getPort() + "/");
        Chromium.console(CHROMIUM.driver()); // drain
        String stream = "ws://127.0.0.1:" + server.port() + "/quotes?access_token=" + Tokens.valid("ann");
        page.js("window.__foreign = null; const ws = new WebSocket(arguments[0]);"
                + "ws.onopen = () => { window.__foreign = 'open'; };"
                + "ws.onclose = (e) => { if (window.__foreign !== 'open') window.__foreign = 'closed ' + e.code; };", stream);
        page.waitUntil("the foreign page's socket settles", () -> page.js("return window.__foreign") != null);
        assertEquals("closed 1006", page.js("return window.__foreign"), "never opened");
        List<String> errors = Chromium.errors(Chromium.console(CHROMIUM.driver()));
        assertTrue(errors.stream().anyMatch(e -> e.contains("403")), "Chromium reports the 403: " + errors);
    }

    @Test
    void withoutATokenThePageSaysWhy() {
        page.open(server.page("/"));
        page.waitUntil("the refusal explained", () -> "no_token".equals(noticeCode()));
        assertTrue(page.driver.findElement(org.openqa.selenium.By.id("notice")).getText().contains("#token="));
    }

    @Test
    void withAnExpiredTokenThePageSaysItExpired() {
        page.open(withToken(Tokens.expired("ann")));
        page.waitUntil("the expiry explained", () -> "token_expired".equals(noticeCode()));
        page.waitState("offline");
    }

    @Test
    void aTokenEntitledToNoSymbolShowsTheForbiddenSubscription() {
        page.open(withToken(Tokens.valid("ann", List.of(), Duration.ofHours(1))));
        page.waitState("live");
        page.waitUntil("the forbidden subscription explained", () -> "forbidden".equals(noticeCode()));
    }

    @Test
    void aTokenExpiringWhileThePageIsOpenIsShownAsExpired() {
        page.open(withToken(Tokens.valid("ann", null, Duration.ofSeconds(8))));
        page.waitState("live");
        page.waitUntil("the expiry explained", () -> "token_expired".equals(noticeCode()));
        page.waitState("offline");
    }

    private String noticeCode() {
        return (String) page.js("const n = document.getElementById('notice'); return n.hidden ? null : n.dataset.code");
    }

    private static URI withToken(String token) {
        return URI.create(server.page("/") + "#token=" + token);
    }
}
