package io.quotecast.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 request written byte for byte on a plain socket, so that a test controls what no
 * client library would send (an {@code Origin} header, a path with {@code ..} in it), and its response:
 * status, headers and whatever body arrived before the server closed or went quiet.
 */
public record RawHttp(int status, Map<String, String> headers, String body) {

    /** A WebSocket handshake for {@code pathAndQuery} with the given extra headers. */
    public static RawHttp handshake(int port, String pathAndQuery, Map<String, String> headers) {
        StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        return send(port, request.append("\r\n").toString());
    }

    /** A plain GET of {@code rawPath}, exactly as written (no normalisation, no encoding). */
    public static RawHttp get(int port, String rawPath) {
        return send(port, "GET " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");
    }

    /** A HEAD of {@code rawPath}; the connection closes after the response, so whatever body came (none should) is read too. */
    public static RawHttp head(int port, String rawPath) {
        return send(port, "HEAD " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");
    }

    private static RawHttp send(int port, String request) {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(2_000); // an upgraded connection stays open: stop reading when it goes quiet
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TestClient.TIMEOUT.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
            try {
                int n;
                while (System.nanoTime() < deadline && (n = in.read(buffer)) >= 0) {
                    received.write(buffer, 0, n);
                    if (isComplete(received.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (SocketTimeoutException quiet) {
                // what came is what there is
            }
            return parse(received.toString(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Headers done and, if a length was given, the body too; a 101's body is the WebSocket's, not ours. */
    private static boolean isComplete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        RawHttp head = parse(text);
        if (head.status == 101) {
            // the server's first WebSocket frame (unmasked, short): enough to see whether it is a close
            String frames = text.substring(end + 4);
            return frames.length() >= 2 && frames.length() >= 2 + (frames.charAt(1) & 0x7F);
        }
        String length = head.headers.get("content-length");
        return length != null && text.length() - end - 4 >= Integer.parseInt(length.strip());
    }

    private static RawHttp parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no complete HTTP response: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        return new RawHttp(status, headers, text.substring(end + 4));
    }

    /** A header's value by case-insensitive name; null if absent. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
