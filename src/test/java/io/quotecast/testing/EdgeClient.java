package io.quotecast.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * One raw WebSocket handshake on a plain (or TLS) socket, as a crowd of clients at the edge of a node makes
 * them: what it got ({@link Outcome}) and how long that took. An opened connection is kept open, its socket
 * returned, until the caller closes it. No client library, so that thousands cost a socket each.
 */
public final class EdgeClient {

    /** What one attempt got. */
    public enum Outcome {
        /** 101 and the server's first frame, {@code hello}. */
        OPENED,
        /** HTTP 503. */
        REFUSED_503,
        /** 101, then close 1013 at once. */
        REFUSED_1013,
        /** Closed or reset without an answer, at once (a TLS listener refusing, the kernel). */
        CLOSED,
        /** Nothing within the client's patience: the silent wait the edge must never make. */
        TIMED_OUT
    }

    /** An attempt's outcome, its duration, and the socket of an opened connection (else null). */
    public record Attempt(Outcome outcome, Duration took, Socket socket, String head) {
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    private EdgeClient() {
    }

    /** A handshake to {@code /quotes} on 127.0.0.1:{@code port}, waiting at most {@code patience} for an answer. */
    public static Attempt upgrade(int port, Duration patience, SSLContext tls) {
        long start = System.nanoTime();
        Socket socket = null;
        try {
            socket = tls == null ? new Socket() : tls.getSocketFactory().createSocket();
            socket.setSoTimeout((int) patience.toMillis());
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) patience.toMillis());
            socket.getOutputStream().write(("GET /quotes HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: quotecast.v1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String head = readHead(socket.getInputStream());
            Outcome outcome;
            if (head == null) {
                outcome = Outcome.CLOSED;
            } else if (head.startsWith("HTTP/1.1 503")) {
                outcome = Outcome.REFUSED_503;
            } else if (head.startsWith("HTTP/1.1 101")) {
                int[] frame = firstFrame(socket.getInputStream());
                outcome = frame[0] == 0x8 && frame[1] == 1013 ? Outcome.REFUSED_1013 : frame[0] == 0x1 ? Outcome.OPENED : Outcome.CLOSED;
            } else {
                throw new AssertionError("unexpected answer to a handshake: " + head);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (outcome == Outcome.OPENED) {
                socket.setSoTimeout(0);
                return new Attempt(outcome, took, socket, head);
            }
            socket.close();
            return new Attempt(outcome, took, null, head);
        } catch (SocketTimeoutException e) {
            close(socket);
            return new Attempt(Outcome.TIMED_OUT, Duration.ofNanos(System.nanoTime() - start), null, null);
        } catch (IOException e) {
            close(socket);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            return new Attempt(took.compareTo(patience) >= 0 ? Outcome.TIMED_OUT : Outcome.CLOSED, took, null, null);
        }
    }

    /** The response head up to its blank line; null if the connection ended first. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The first frame's opcode and, for a close, its code (else 0). */
    private static int[] firstFrame(InputStream in) throws IOException {
        int first = in.read();
        int second = in.read();
        if (first < 0 || second < 0) {
            return new int[] {-1, 0};
        }
        long length = second & 0x7F;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | in.read();
            }
        }
        byte[] payload = in.readNBytes((int) length);
        int code = (first & 0x0F) == 0x8 && payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 0;
        return new int[] {first & 0x0F, code};
    }

    private static void close(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
