package io.quotecast.websocket;

import io.quotecast.ops.ConnectionLimits;
import io.quotecast.testing.Eventually;
import io.quotecast.testing.RawHttp;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.RunningServer;
import io.quotecast.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** server.maxConnections, server.maxConnectionsPerAddress and handshakes per address, over the wire: 1013, then admission again. */
@RealParts
class ConnectionLimitTest {

    @Test
    void aboveTheTotalAHandshakeIsAnswered503AndAdmittedAgainOnceOneCloses() {
        try (RunningServer server = RunningServer.start("server.maxConnections", "3")) {
            ConnectionLimits limits = server.server().quotecast().operations().limits();
            List<TestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    TestClient client = server.connect();
                    client.next("hello");
                    clients.add(client);
                }
                // standalone, a full node answers the handshake itself (the WAR: 1013 after it, see the container checks)
                RawHttp fourth = RawHttp.handshake(server.port(), "/quotes", java.util.Map.of());
                assertEquals(503, fourth.status());
                assertEquals("5", fourth.header("Retry-After"));
                assertTrue(fourth.body().contains("limit of 3"), fourth.body());
                assertEquals(3, limits.open(), "the refused one holds no place");
                clients.remove(0).close();
                Eventually.await("the closed connection's place given back", () -> limits.open() == 2);
                try (TestClient again = server.connect()) {
                    again.next("hello");
                    assertFalse(again.isClosedByServer());
                }
                assertEquals(1, limits.refused(ConnectionLimits.Reason.MAX_CONNECTIONS));
                clients.forEach(client -> assertFalse(client.isClosedByServer(), "the admitted ones are undisturbed"));
            } finally {
                clients.forEach(TestClient::close);
            }
        }
    }

    /** Behind a trusted proxy each X-Forwarded-For address has its own count. */
    @Test
    void abovePerAddressLimitAConnectionIsClosedWith1013AndOtherAddressesAreNotHeldUp() {
        try (RunningServer server = RunningServer.start("server.maxConnectionsPerAddress", "2",
                "server.trustedProxies", "127.0.0.1")) {
            ConnectionLimits limits = server.server().quotecast().operations().limits();
            TestClient a1 = from(server, "198.51.100.1");
            TestClient a2 = from(server, "198.51.100.1");
            try (TestClient b1 = from(server, "198.51.100.2");
                 TestClient proxyItself = server.connect()) {
                a1.next("hello");
                a2.next("hello");
                b1.next("hello");
                proxyItself.next("hello");
                try (TestClient a3 = from(server, "203.0.113.7, 198.51.100.1")) {
                    assertEquals(1013, a3.awaitClose(), "the right-most untrusted hop is the client");
                }
                assertEquals(2, limits.openFrom("198.51.100.1"));
                a1.close();
                Eventually.await("198.51.100.1 below its limit again", () -> limits.openFrom("198.51.100.1") == 1);
                try (TestClient again = from(server, "198.51.100.1")) {
                    again.next("hello");
                }
            } finally {
                a1.close();
                a2.close();
            }
        }
    }

    /** Without a trusted proxy the header is the client's own word: every connection counts against the peer. */
    @Test
    void xForwardedForFromAnUntrustedPeerIsIgnored() {
        try (RunningServer server = RunningServer.start("server.maxConnectionsPerAddress", "2");
             TestClient a = from(server, "198.51.100.1");
             TestClient b = from(server, "198.51.100.2")) {
            a.next("hello");
            b.next("hello");
            try (TestClient c = from(server, "198.51.100.3")) {
                assertEquals(1013, c.awaitClose(), "all three are 127.0.0.1");
            }
        }
    }

    @Test
    void aReconnectStormFromOneAddressIsRefusedThenAdmittedAgain() {
        try (RunningServer server = RunningServer.start("server.maxHandshakesPerAddressPerSecond", "3")) {
            ConnectionLimits limits = server.server().quotecast().operations().limits();
            int refused = 0;
            for (int i = 0; i < 10; i++) {
                if (refusedWith1013(server)) {
                    refused++;
                }
            }
            assertTrue(refused >= 1 && limits.refused(ConnectionLimits.Reason.MAX_HANDSHAKES_PER_ADDRESS) == refused,
                    refused + " of 10 quick reconnects refused");
            Eventually.await("admitted again after a pause", () -> !refusedWith1013(server));
        }
    }

    /** Connects; true if the server closes with 1013 before saying hello. */
    private static boolean refusedWith1013(RunningServer server) {
        try (TestClient client = server.connect()) {
            Eventually.await("hello or a close", () -> !client.history().isEmpty() || client.isClosedByServer());
            if (!client.history().isEmpty()) {
                assertEquals("hello", client.history().get(0).getString("type"));
                return false;
            }
            assertEquals(1013, client.awaitClose());
            return true;
        }
    }

    /** Clients connecting and vanishing at once, past the limit: every place is counted once and given back. */
    @Test
    void countsReturnToZeroAfterAStormOfConnectsAndAborts() throws Exception {
        try (RunningServer server = RunningServer.start("server.maxConnections", "10")) {
            ConnectionLimits limits = server.server().quotecast().operations().limits();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                boolean abort = t % 2 == 0;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        TestClient client = server.connect();
                        if (abort) {
                            client.abort();
                        } else {
                            client.close();
                        }
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            Eventually.await("every place given back: " + limits.open() + " open", () -> limits.open() == 0);
            Eventually.await("the hub forgot them all", () -> server.server().quotecast().hub().registry().connectionCount() == 0);
            assertEquals(0, server.server().quotecast().operations().keepalive().size(), "keepalive forgot them all");
            try (TestClient after = server.connect()) {
                after.next("hello");
            }
        }
    }

    private static TestClient from(RunningServer server, String forwardedFor) {
        return TestClient.connect(server.stream(), Map.of("X-Forwarded-For", forwardedFor));
    }
}
