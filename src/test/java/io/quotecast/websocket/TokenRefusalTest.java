package io.quotecast.websocket;

import io.quotecast.testing.LogRecorder;
import io.quotecast.testing.RawHttp;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import io.quotecast.testing.Tokens;
import io.quotecast.security.Admission;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** security.tokens=required on the standalone server: every bad or missing token is refused with 401 at the handshake. */
@RealParts
class TokenRefusalTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(Tokens.settings("required"));

    @Test
    void aHandshakeWithoutATokenIsRefusedWith401() {
        RawHttp response = RawHttp.handshake(server.port(), "/quotes", Map.of());
        assertEquals(401, response.status(), response.toString());
        assertTrue(response.header("www-authenticate").startsWith("Bearer"), response.toString());
        assertTrue(response.body().contains("no token"), response.body());
    }

    @Test
    void anUnsignedTokenIsRefusedWith401() {
        assertRefused(Tokens.unsigned("ann"), "unsigned token");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefusedWith401() {
        assertRefused(Tokens.badlySigned("ann"), "bad token signature");
    }

    @Test
    void anExpiredTokenIsRefusedWith401() {
        assertRefused(Tokens.expired("ann"), "token expired");
    }

    @Test
    void aMalformedTokenIsRefusedWith401() {
        assertRefused(Tokens.MALFORMED, "malformed token");
    }

    @Test
    void aBadTokenInTheQueryStringIsRefusedWith401Too() {
        RawHttp response = RawHttp.handshake(server.port(), "/quotes?symbols=ACME&access_token=" + Tokens.expired("ann"), Map.of());
        assertEquals(401, response.status(), response.toString());
    }

    @Test
    void eachRefusalIsLoggedWithItsReasonAndNeverTheToken() {
        String token = Tokens.badlySigned("ann");
        try (LogRecorder log = LogRecorder.of(Admission.class.getName())) {
            RawHttp.handshake(server.port(), "/quotes", Map.of("Authorization", "Bearer " + token));
            List<String> lines = log.messages();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("401") && lines.get(0).contains("bad token signature"), lines.toString());
            String signature = token.substring(token.lastIndexOf('.') + 1);
            assertTrue(lines.stream().noneMatch(line -> line.contains(signature) || line.contains(token.substring(0, 20))),
                    "no part of the token in the log: " + lines);
        }
    }

    @Test
    void aValidBearerTokenIsAdmittedAndHelloNamesItsUser() {
        try (TestClient client = TestClient.connect(server.stream(), Map.of("Authorization", "Bearer " + Tokens.valid("ann")))) {
            JsonObject hello = client.next("hello");
            assertEquals("ann", hello.getString("user"));
        }
    }

    @Test
    void aValidTokenInTheQueryStringIsAdmitted() {
        try (TestClient client = TestClient.connect(server.stream("?symbols=ACME&access_token=" + Tokens.valid("bob")))) {
            assertEquals("bob", client.next("hello").getString("user"));
            client.next(TestClient.quoteOf("ACME"));
        }
    }

    /**
     * Spellings of the stream's path that the HTTP-level gate does not match must not reach the stream either:
     * the handshake configurator refuses them too, and the endpoint closes with 1008 before sending anything.
     */
    @Test
    void aVariantOfTheStreamPathGetsNothingWithoutAToken() {
        for (String path : List.of("/quotes/", "/quotes;x=1", "//quotes", "/./quotes", "/QUOTES", "/quotes?access_token=")) {
            RawHttp response = RawHttp.handshake(server.port(), path, Map.of());
            if (response.status() == 101) {
                // an upgraded connection: its first frame must be a close (opcode 8) with 1008, and no text frame before
                assertTrue(response.body().length() >= 4 && (response.body().charAt(0) & 0x0F) == 8, path + ": " + response);
                assertEquals(1008, (response.body().charAt(2) << 8) | response.body().charAt(3), path);
            } else {
                assertTrue(response.status() >= 400, path + ": " + response);
            }
        }
    }

    private static void assertRefused(String token, String reason) {
        RawHttp response = RawHttp.handshake(server.port(), "/quotes", Map.of("Authorization", "Bearer " + token));
        assertEquals(401, response.status(), response.toString());
        assertTrue(response.body().contains(reason), response.body());
    }
}
