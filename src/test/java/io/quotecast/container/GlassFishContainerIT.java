package io.quotecast.container;

import io.quotecast.testing.TestClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped WAR on GlassFish 7 (Jakarta EE 10, Tyrus): everything {@link ContainerChecks} checks, and
 * the edge cases of the protocol on top. Runs in the failsafe execution {@code it-glassfish} only.
 */
class GlassFishContainerIT extends ContainerChecks {

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
            client.send("[{\"action\":\"list\"}]");
            assertError(client.next("error"), "bad_request");
            client.send("{\"action\":\"subscribe\"}");
            JsonObject missing = client.next("error");
            assertError(missing, "bad_request");
            assertTrue(missing.getString("message").contains("symbols"), missing.toString());
            client.sendBinary(new byte[] {1, 2, 3});
            assertError(client.next("error"), "bad_request");
            client.send("{\"action\":\"history\",\"symbol\":\"NOPE\",\"interval\":\"1s\"}");
            assertError(client.next("error"), "unknown_symbol");
            client.send("{\"action\":\"list\"}");
            assertEquals(50, client.next("symbols").getJsonArray("symbols").size());
            assertFalse(client.isClosedByServer());
        }
    }
}
