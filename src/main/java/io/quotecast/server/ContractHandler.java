package io.quotecast.server;

import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.HttpStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code /asyncapi.json}: the protocol's AsyncAPI document, the file {@code webapp/asyncapi.json} as it
 * is, with an {@code ETag} so that tools re-reading it get 304 until it changes. A route of its own
 * rather than a static file: Grizzly's static handler drops the JSON content type on the way and sends
 * no validator for a file inside a jar. Read once: the document changes only with a new build.
 */
final class ContractHandler extends HttpHandler {

    static final String PATH = "/asyncapi.json";
    private static final String RESOURCE = "webapp/asyncapi.json";

    private final byte[] document;
    private final String etag;

    ContractHandler() {
        try (InputStream in = ContractHandler.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        etag = '"' + HexFormat.of().formatHex(sha256(document), 0, 16) + '"';
    }

    @Override
    public void service(Request request, Response response) throws IOException {
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", "no-cache");
        String held = request.getHeader("If-None-Match");
        if (held != null && (held.equals(etag) || held.equals("*"))) {
            response.setStatus(HttpStatus.NOT_MODIFIED_304);
            return;
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(document.length);
        response.getOutputStream().write(document);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
