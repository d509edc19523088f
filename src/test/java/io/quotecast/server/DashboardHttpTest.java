package io.quotecast.server;

import io.quotecast.testing.LogRecorder;
import io.quotecast.testing.RawHttp;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.WebJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The standalone server's HTTP side: the page's security headers, and requests that try to leave the web root. */
@RealParts
class DashboardHttpTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass();

    @Test
    void thePageCarriesTheSecurityHeadersAndItsCharset() {
        RawHttp page = RawHttp.get(server.port(), "/");
        assertEquals(200, page.status(), page.toString());
        assertTrue(page.header("content-security-policy").contains("frame-ancestors 'none'"), page.headers().toString());
        assertEquals("nosniff", page.header("x-content-type-options"));
        assertEquals("no-referrer", page.header("referrer-policy"));
        assertEquals("text/html;charset=utf-8", page.header("content-type").replace(" ", "").toLowerCase());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/app.js", "/modules/rows.js", "/modules/ordering.js", "/modules/frame-loop.js"})
    void theScriptsAreServedWithTheirCharsetAndNosniff(String path) {
        RawHttp script = RawHttp.get(server.port(), path);
        assertEquals(200, script.status(), path);
        assertEquals("text/javascript;charset=utf-8", script.header("content-type").replace(" ", "").toLowerCase());
        assertEquals("nosniff", script.header("x-content-type-options"));
    }

    @Test
    void theChartLibraryIsServedFromItsWebJarWithThePageHeaders() {
        RawHttp library = RawHttp.get(server.port(), "/" + WebJar.UPLOT_MODULE);
        assertEquals(200, library.status(), library.toString());
        assertEquals("text/javascript;charset=utf-8", library.header("content-type").replace(" ", "").toLowerCase());
        assertEquals("nosniff", library.header("x-content-type-options"));
        assertTrue(library.header("content-security-policy").contains("script-src 'self'"), library.headers().toString());
        assertTrue(library.body().contains("export { uPlot as default }"), "the ES module build");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/webjars/uplot/", "/webjars/nothing.js", "/META-INF/MANIFEST.MF", "/META-INF/resources/webjars/uplot/"})
    void onlyWebJarFilesAreServedFromTheClasspathOutsideTheWebRoot(String path) {
        RawHttp response = RawHttp.get(server.port(), path);
        assertEquals(404, response.status(), response.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../pom.xml", "/%2e%2e/pom.xml", "/..%2fpom.xml", "/webapp/../../pom.xml", "/%2E%2E%2Fconfig/quotecast.properties"})
    void aPathOutOfTheWebRootGets404AndOneQuietLogLine(String path) {
        try (LogRecorder log = LogRecorder.of("")) {
            RawHttp response = RawHttp.get(server.port(), path);
            assertEquals(404, response.status(), response.toString());
            assertFalse(response.body().contains("<project"), response.body());
            List<LogRecord> records = log.records();
            assertTrue(records.stream().allMatch(r -> r.getThrown() == null), "no stack trace logged");
            assertEquals(1, records.size(), log.messages().toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/index.html", "/app.js", "/modules/rows.js", "/nothing-here.html", "/webjars/uplot/"})
    void headIsAnsweredAsGetIsWithoutTheBody(String path) {
        RawHttp get = RawHttp.get(server.port(), path);
        RawHttp head = RawHttp.head(server.port(), path);
        assertEquals(get.status(), head.status(), head.toString());
        assertEquals(get.header("content-type"), head.header("content-type"), head.headers().toString());
        assertEquals(get.header("content-length"), head.header("content-length"), head.headers().toString());
        assertEquals(String.valueOf(get.body().length()), head.header("content-length"), "GET's body is as long as HEAD says");
        assertEquals(get.header("content-security-policy"), head.header("content-security-policy"));
        assertEquals("nosniff", head.header("x-content-type-options"));
        assertEquals("", head.body(), "no body");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/health", "/metrics"})
    void headOfTheOperationsRoutesIsAnsweredAsGetIsWithoutTheBody(String path) {
        RawHttp get = RawHttp.get(server.port(), path);
        RawHttp head = RawHttp.head(server.port(), path);
        assertEquals(get.status(), head.status(), head.toString());
        assertEquals(get.header("content-type"), head.header("content-type"), head.headers().toString());
        // the numbers in the body move between the two requests, and with them its length
        assertTrue(Long.parseLong(head.header("content-length")) > 0, head.headers().toString());
        assertEquals("", head.body(), "no body");
    }

    @Test
    void aMissingFileGets404WithTheHeaders() {
        RawHttp response = RawHttp.get(server.port(), "/nothing-here.html");
        assertEquals(404, response.status());
        assertEquals("nosniff", response.header("x-content-type-options"));
    }
}
