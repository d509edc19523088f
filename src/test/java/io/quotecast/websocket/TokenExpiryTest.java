package io.quotecast.websocket;

import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import io.quotecast.testing.Tokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A token's exp ends its connection with 1008, unless {@code auth} brought a fresh one for the same user first. */
@RealParts
class TokenExpiryTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(Tokens.settings("required", "feed.ticksPerSecond", "500"));

    @Test
    void aTokenExpiringMidStreamClosesTheConnectionWith1008() {
        String token = Tokens.valid("ann", null, Duration.ofSeconds(3));
        try (TestClient client = connect(token)) {
            client.next(quoteOf("ACME"));
            assertEquals(1008, client.awaitClose());
            assertEquals("token expired", client.closeReason());
        }
    }

    @Test
    void authWithAFreshTokenForTheSameUserExtendsTheConnection() {
        String shortLived = Tokens.valid("ann", null, Duration.ofSeconds(3));
        Instant fresh = Instant.now().plusSeconds(3600);
        try (TestClient client = connect(shortLived)) {
            client.next(quoteOf("ACME"));
            client.send(auth(Tokens.valid("ann", null, Duration.ofHours(1))));
            JsonObject authenticated = client.next("authenticated");
            assertEquals("ann", authenticated.getString("user"));
            long expires = authenticated.getJsonNumber("expires").longValue();
            assertTrue(Math.abs(expires - fresh.toEpochMilli()) < 5_000, authenticated.toString());
            // quotes keep coming after the first token's exp has passed (3 s, and JWT exp is in whole seconds)
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < until) {
                client.next(quoteOf("ACME"));
            }
            assertFalse(client.isClosedByServer());
        }
    }

    @Test
    void authWithABadTokenIsUnauthorizedAndTheOldTokenStaysInForce() {
        try (TestClient client = connect(Tokens.valid("ann", null, Duration.ofSeconds(4)))) {
            client.next(quoteOf("ACME"));
            client.send(auth(Tokens.badlySigned("ann")));
            JsonObject error = client.next("error");
            assertEquals("unauthorized", error.getString("code"));
            assertEquals("auth", error.getString("action"));
            client.next(quoteOf("ACME"));
            assertEquals(1008, client.awaitClose(), "still closed at the old token's exp");
        }
    }

    @Test
    void authWithATokenForAnotherUserIsUnauthorized() {
        try (TestClient client = connect(Tokens.valid("ann"))) {
            client.next(quoteOf("ACME"));
            client.send(auth(Tokens.valid("bob")));
            JsonObject error = client.next("error");
            assertEquals("unauthorized", error.getString("code"));
            assertTrue(error.getString("message").contains("another user"), error.toString());
            client.next(quoteOf("ACME"));
        }
    }

    private static TestClient connect(String token) {
        return TestClient.connect(server.stream("?symbols=ACME"), Map.of("Authorization", "Bearer " + token));
    }

    private static String auth(String token) {
        return Json.createObjectBuilder().add("action", "auth").add("token", token).build().toString();
    }
}
