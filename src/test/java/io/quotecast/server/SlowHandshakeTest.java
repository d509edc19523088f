package io.quotecast.server;

import io.quotecast.testing.Eventually;
import io.quotecast.testing.PrometheusText;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.RunningServer;
import io.quotecast.testing.TestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Handshakes that never finish, from many sockets of one address (127.0.0.2: loopback answers all of 127/8),
 * trickling a header byte now and then: the excess over the per-address cap is refused at once, the rest are
 * closed at the deadline, both counted in /metrics, while a real client from another address connects and
 * streams, and is never cut by any of it. Plain and TLS; and an idle kept-alive HTTP connection is closed.
 */
@RealParts
class SlowHandshakeTest {

    private static final int DEADLINE_SECONDS = 2;
    private static final int CAP = 20;
    private static final int SOCKETS = 30;

    @TempDir
    static Path dir;
    static Path keystore;

    @BeforeAll
    static void keystore() throws Exception {
        keystore = TlsTest.selfSignedKeystore(dir.resolve("slow.p12"));
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void unfinishedHandshakesAreCappedPerAddressAndClosedAtTheDeadline(boolean tls) throws Exception {
        List<String> settings = new ArrayList<>(List.of("server.handshakeTimeoutSeconds", Integer.toString(DEADLINE_SECONDS),
                "server.maxUnfinishedHandshakesPerAddress", Integer.toString(CAP)));
        if (tls) {
            settings.addAll(List.of("server.tls.keystore", keystore.toString(), "server.tls.password", TlsTest.PASSWORD));
        }
        try (RunningServer server = RunningServer.start(settings.toArray(String[]::new))) {
            SSLContext context = tls ? TlsTest.trusting(keystore) : SSLContext.getDefault();
            HttpClient http = HttpClient.newBuilder().sslContext(context).connectTimeout(TestClient.TIMEOUT).build();
            String scheme = tls ? "s" : "";
            URI metrics = URI.create("http" + scheme + "://127.0.0.1:" + server.port() + "/metrics");

            long start = System.nanoTime();
            List<SocketChannel> slow = new ArrayList<>();
            for (int i = 0; i < SOCKETS; i++) {
                SocketChannel channel = SocketChannel.open();
                channel.bind(new InetSocketAddress("127.0.0.2", 0));
                channel.connect(new InetSocketAddress("127.0.0.1", server.port()));
                channel.configureBlocking(false);
                // plain: the start of an upgrade; TLS: the start of a ClientHello record. Neither ever ends.
                channel.write(ByteBuffer.wrap(tls ? new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01}
                        : "GET /quotes HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1)));
                slow.add(channel);
            }
            Eventually.await("the " + (SOCKETS - CAP) + " over the cap refused at once",
                    () -> closed(slow) == SOCKETS - CAP, Duration.ofSeconds(1));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(DEADLINE_SECONDS).toNanos(), "before any deadline");

            // meanwhile a real client, from 127.0.0.1, connects and streams; one more from 127.0.0.2 would be refused
            try (TestClient client = TestClient.connect(http, URI.create("ws" + scheme + "://127.0.0.1:" + server.port()
                    + "/quotes?symbols=ACME"), Map.of());
                 TestClient quiet = TestClient.connect(http, URI.create("ws" + scheme + "://127.0.0.1:" + server.port() + "/quotes"), Map.of())) {
                client.next(quoteOf("ACME"));
                quiet.next("hello");
                assertEquals(SOCKETS - CAP, closed(slow), "the rest still held before their deadline");

                // one byte now and then does not keep them: the deadline runs from the first byte
                Eventually.await("every unfinished handshake closed at its deadline", () -> {
                    trickle(slow);
                    return closed(slow) == SOCKETS;
                }, Duration.ofSeconds(DEADLINE_SECONDS + 3));
                assertTrue(System.nanoTime() - start >= Duration.ofSeconds(DEADLINE_SECONDS).toNanos(), "not before the deadline");

                PrometheusText scraped = PrometheusText.parse(http.send(HttpRequest.newBuilder(metrics).timeout(TestClient.TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertEquals(CAP, scraped.value("quotecast_connections_refused_total", "reason=\"handshake_timeout\""), scraped.toString());
                assertEquals(SOCKETS - CAP, scraped.value("quotecast_connections_refused_total",
                        "reason=\"unfinished_handshakes_per_address\""), scraped.toString());

                // upgraded connections are outside every deadline: past twice the deadline both still stream or wait
                long previous = client.next(quoteOf("ACME")).getJsonNumber("seq").longValue();
                Eventually.await("twice the deadline", () -> System.nanoTime() - start > Duration.ofSeconds(2L * DEADLINE_SECONDS + 1).toNanos());
                assertTrue(client.next(quoteOf("ACME")).getJsonNumber("seq").longValue() > previous, "the stream goes on");
                assertFalse(client.isClosedByServer());
                assertFalse(quiet.isClosedByServer(), "a quiet WebSocket is not an idle HTTP connection");
                quiet.send("{\"action\":\"list\"}");
                quiet.next("symbols");
            } finally {
                for (SocketChannel channel : slow) {
                    channel.close();
                }
            }
        }
    }

    @Test
    void aWebSocketThatSentAFrameAndFellQuietIsNotClosedAtTheDeadline() {
        try (RunningServer server = RunningServer.start("server.handshakeTimeoutSeconds", Integer.toString(DEADLINE_SECONDS));
             TestClient client = TestClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/quotes"))) {
            client.next("hello");
            // a frame from the client after the 101, as a subscribe or a keepalive pong, then nothing more from it
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            client.next(quoteOf("ACME"));
            long sent = System.nanoTime();
            Eventually.await("the deadline and its sweep passed since the client's frame",
                    () -> System.nanoTime() - sent > Duration.ofSeconds(DEADLINE_SECONDS + 1).toNanos(),
                    Duration.ofSeconds(DEADLINE_SECONDS + 3));
            client.send("{\"action\":\"list\"}");
            client.next("symbols");
            assertFalse(client.isClosedByServer(), "a WebSocket is outside every handshake deadline, whatever it sent");
        }
    }

    @Test
    void anIdleKeptAliveHttpConnectionIsClosedAfterTheDeadline() throws Exception {
        try (RunningServer server = RunningServer.start("server.handshakeTimeoutSeconds", Integer.toString(DEADLINE_SECONDS));
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) Duration.ofSeconds(DEADLINE_SECONDS + 5).toMillis());
            socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            long start = System.nanoTime();
            byte[] all = socket.getInputStream().readAllBytes(); // until the server closes it
            long took = System.nanoTime() - start;
            assertTrue(new String(all, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200"), "answered, kept alive");
            assertTrue(took >= Duration.ofSeconds(DEADLINE_SECONDS).toNanos() - Duration.ofMillis(100).toNanos()
                    && took < Duration.ofSeconds(DEADLINE_SECONDS + 2).toNanos(), "closed when idle for the deadline: " + took / 1_000_000 + " ms");
        }
    }

    /** Sockets the server has closed (end of stream or reset), reading away whatever it answered. */
    private static int closed(List<SocketChannel> channels) {
        int closed = 0;
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        for (SocketChannel channel : channels) {
            try {
                int n;
                do {
                    buffer.clear();
                    n = channel.read(buffer);
                } while (n > 0);
                if (n < 0) {
                    closed++;
                }
            } catch (IOException reset) {
                closed++;
            }
        }
        return closed;
    }

    private static void trickle(List<SocketChannel> channels) {
        for (SocketChannel channel : channels) {
            try {
                channel.write(ByteBuffer.wrap(new byte[] {'a'}));
            } catch (IOException closed) {
                // counted by closed()
            }
        }
    }
}
