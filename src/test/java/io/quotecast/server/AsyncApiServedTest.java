package io.quotecast.server;

import io.quotecast.security.PageHeaders;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The standalone server serves the AsyncAPI document at /asyncapi.json as the repository holds it. */
@RealParts
class AsyncApiServedTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass();

    /**
     * HTTP/1.1 as curl and browsers speak it to a plain-http server: the JDK's default offers an h2c upgrade,
     * on which Grizzly leaves out every route's Content-Type (the dashboard's files' too).
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theDocumentIsServedAsTheRepositoryFileAsJson() throws Exception {
        HttpResponse<String> response = get(HttpRequest.newBuilder(server.page("/asyncapi.json")));
        assertEquals(200, response.statusCode());
        assertEquals("application/json;charset=utf-8",
                response.headers().firstValue("content-type").orElseThrow().replace(" ", "").toLowerCase());
        assertEquals(Files.readString(Path.of("webapp/asyncapi.json")), response.body());
    }

    @Test
    void theDocumentCarriesThePageHeaders() throws Exception {
        HttpResponse<String> response = get(HttpRequest.newBuilder(server.page("/asyncapi.json")));
        PageHeaders.ALL.forEach((name, value) ->
                assertEquals(value, response.headers().firstValue(name).orElse(null), name));
    }

    @Test
    void aClientHoldingTheDocumentIsAnswered304() throws Exception {
        HttpResponse<String> first = get(HttpRequest.newBuilder(server.page("/asyncapi.json")));
        String etag = first.headers().firstValue("etag").orElse(null);
        assertTrue(etag != null, "a cache validator: " + first.headers().map());
        HttpResponse<String> again = get(HttpRequest.newBuilder(server.page("/asyncapi.json"))
                .header("If-None-Match", etag));
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
    }

    private static HttpResponse<String> get(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
