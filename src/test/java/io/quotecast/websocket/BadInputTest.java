package io.quotecast.websocket;

import io.quotecast.testing.Eventually;
import io.quotecast.testing.PausedClient;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import io.quotecast.testing.ConfiguredSymbols;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Set;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input gets the answer docs/protocol.md gives it, and the connection stays usable. */
@RealParts
class BadInputTest {

    /** The message rate limit is lifted: these tests send thousands of frames to test framing, not the rate. */
    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "500", "connection.maxSymbols", "3",
                "connection.maxFrameBytes", "4096", "connection.maxMessagesPerSecond", "1000000");

    @Test
    void invalidJsonIsABadRequest() {
        assertErrorThenStillUsable("{\"action\": subscribe", "bad_request", null);
    }

    @Test
    void aJsonArrayIsABadRequest() {
        assertErrorThenStillUsable("[{\"action\":\"list\"}]", "bad_request", null);
    }

    @Test
    void aMissingActionIsABadRequest() {
        JsonObject error = assertErrorThenStillUsable("{\"symbols\":[\"ACME\"]}", "bad_request", null);
        assertTrue(error.getString("message").contains("action"), error.toString());
    }

    @Test
    void anActionThatIsNotAStringIsABadRequest() {
        assertErrorThenStillUsable("{\"action\":42}", "bad_request", null);
    }

    @Test
    void missingSymbolsIsABadRequestNamingTheField() {
        JsonObject error = assertErrorThenStillUsable("{\"action\":\"subscribe\"}", "bad_request", "subscribe");
        assertTrue(error.getString("message").contains("symbols"), error.toString());
    }

    @Test
    void symbolsThatAreNotAnArrayAreABadRequest() {
        assertErrorThenStillUsable("{\"action\":\"subscribe\",\"symbols\":\"ACME\"}", "bad_request", "subscribe");
    }

    @Test
    void aSymbolThatIsNotAStringIsABadRequest() {
        assertErrorThenStillUsable("{\"action\":\"subscribe\",\"symbols\":[\"ACME\",7]}", "bad_request", "subscribe");
    }

    @Test
    void anUnknownActionIsNamedInTheError() {
        assertErrorThenStillUsable("{\"action\":\"buy\",\"symbols\":[\"ACME\"]}", "unknown_action", "buy");
    }

    @Test
    void aBinaryFrameIsABadRequest() {
        try (TestClient client = server.connect()) {
            client.next("hello");
            client.sendBinary(new byte[] {1, 2, 3});
            assertEquals("bad_request", client.next("error").getString("code"));
            assertStillUsable(client);
        }
    }

    @Test
    void anUnknownSymbolIsReportedAndTheRestOfTheRequestStillApplies() {
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\",\"NOPE\"]}");
            JsonObject error = client.next("error");
            assertEquals("unknown_symbol", error.getString("code"));
            assertEquals("subscribe", error.getString("action"));
            assertTrue(error.getString("message").contains("NOPE"), error.toString());
            assertEquals(Set.of("ACME"), ConnectingTest.strings(client.next("subscribed")));
            client.next(quoteOf("ACME"));
        }
    }

    @Test
    void subscribingAboveTheLimitIsTooManySymbolsAndChangesNothing() {
        try (TestClient client = server.connect()) {
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\",\"GLOBX\"]}");
            client.next("subscribed");
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"INITE\",\"UMBR\"]}");
            JsonObject error = client.next("error");
            assertEquals("too_many_symbols", error.getString("code"));
            assertEquals("subscribe", error.getString("action"));
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"INITE\"]}");
            assertEquals(Set.of("INITE"), ConnectingTest.strings(client.next("subscribed")));
        }
    }

    @Test
    void aFrameAboveTheSizeLimitClosesWith1009AndDisturbsNoOneElse() {
        try (TestClient bystander = server.connect(); TestClient client = server.connect()) {
            bystander.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            bystander.next(quoteOf("ACME"));
            client.next("hello");
            client.sendMalformed("{\"action\":\"list\",\"padding\":\"" + "x".repeat(10_000) + "\"}");
            assertEquals(1009, client.awaitClose());
            for (int i = 0; i < 5; i++) {
                bystander.next(quoteOf("ACME"));
            }
        }
    }

    @Test
    void aHugeFrameClosesWith1009AndDisturbsNoOneElse() {
        try (TestClient bystander = server.connect(); TestClient client = server.connect()) {
            bystander.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            bystander.next(quoteOf("ACME"));
            client.next("hello");
            client.sendRegardless("{\"action\":\"list\",\"padding\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}");
            int code = client.awaitCloseOrReset();
            assertTrue(code == 1009 || code == TestClient.RESET, "closed with 1009 (or reset mid-send): " + code);
            for (int i = 0; i < 5; i++) {
                bystander.next(quoteOf("ACME"));
            }
        }
    }

    @Test
    void aBurstOfSmallFramesIsNotMistakenForOneBigFrame() {
        try (TestClient client = server.connect()) {
            client.next("hello");
            // Requests with short answers: 2000 symbol lists (6 MB) asked at once would be a client asking
            // faster than it reads, which the byte bound on a connection's outbox closes.
            for (int i = 0; i < 2000; i++) {
                client.sendMalformed("{\"action\":\"unsubscribe\",\"symbols\":[\"ACME\"],\"padding\":\"" + "x".repeat(1000) + "\"}");
            }
            for (int i = 0; i < 2000; i++) {
                client.next("unsubscribed");
            }
            assertFalse(client.isClosedByServer());
        }
    }

    @Test
    void aClientFloodingRequestsWithoutReadingTheRepliesIsClosedWith1008AndDisturbsNoOneElse() {
        var registry = server.server().quotecast().hub().registry();
        try (TestClient bystander = server.connect();
             PausedClient flooder = PausedClient.connect(server.stream())) {
            bystander.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            bystander.next(quoteOf("ACME"));
            int sent = 0;
            while (sent < 5_000 && flooder.sendText("{\"action\":\"list\"}")) {
                sent++;
            }
            Eventually.await("the flooder is dropped after " + sent + " requests", () -> registry.connectionCount() == 1);
            // The server closes with 1008; a client that never reads may lose that frame to the TCP
            // reset its unread requests cause, but its connection is over either way.
            int code = flooder.readUntilClose(TestClient.TIMEOUT);
            assertTrue(code == 1008 || code == PausedClient.RESET, "closed, not left hanging: " + code);
            for (int i = 0; i < 5; i++) {
                bystander.next(quoteOf("ACME"));
            }
        }
    }

    @Test
    void anAbruptDisconnectLeavesNoTraceInTheRegistry() {
        var registry = server.server().quotecast().hub().registry();
        int acme = server.server().quotecast().hub().catalog().indexOf("ACME");
        int before = registry.subscriberCount(acme);
        TestClient client = server.connect();
        client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
        client.next(quoteOf("ACME"));
        assertEquals(before + 1, registry.subscriberCount(acme));
        client.abort();
        Eventually.await("the aborted client is forgotten", () -> registry.subscriberCount(acme) == before);
    }

    private static JsonObject assertErrorThenStillUsable(String frame, String code, String action) {
        try (TestClient client = server.connect()) {
            client.next("hello");
            client.sendMalformed(frame);
            JsonObject error = client.next();
            assertEquals("error", error.getString("type"), error.toString());
            assertEquals(code, error.getString("code"));
            assertFalse(error.getString("message").isBlank());
            if (action == null) {
                assertFalse(error.containsKey("action"), "no action to name: " + error);
            } else {
                assertEquals(action, error.getString("action"));
            }
            assertStillUsable(client);
            return error;
        }
    }

    private static void assertStillUsable(TestClient client) {
        client.send("{\"action\":\"list\"}");
        assertEquals(ConfiguredSymbols.count(), client.next("symbols").getJsonArray("symbols").size());
        assertFalse(client.isClosedByServer());
    }
}
