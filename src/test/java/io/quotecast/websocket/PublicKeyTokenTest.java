package io.quotecast.websocket;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.quotecast.testing.RawHttp;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import io.quotecast.testing.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ES256 tokens on a real server that holds only the issuer's public key (security.tokenPublicKey), as an
 * operator with a separate token issuer runs it: the issuer's tokens stream, HS256 ones are refused.
 */
@RealParts
class PublicKeyTokenTest {

    static final KeyPair ISSUER = keyPair();

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("security.tokens", "required",
            "security.tokenPublicKey", publicKeyFile(ISSUER).toString());

    @Test
    void aTokenSignedByTheIssuersPrivateKeyStreams() throws Exception {
        try (TestClient client = TestClient.connect(server.stream("?symbols=ACME"),
                Map.of("Authorization", "Bearer " + es256("ann", List.of("ACME"))))) {
            assertEquals("ann", client.next("hello").getString("user"));
            client.next(TestClient.quoteOf("ACME"));
        }
    }

    @Test
    void anHs256TokenIsRefusedWith401WhereOnlyAPublicKeyIsConfigured() {
        RawHttp response = RawHttp.handshake(server.port(), "/quotes", Map.of("Authorization", "Bearer " + Tokens.valid("ann")));
        assertEquals(401, response.status(), response.toString());
    }

    static String es256(String sub, List<String> symbols) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), new JWTClaimsSet.Builder().subject(sub)
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).claim("symbols", symbols).build());
        jwt.sign(new ECDSASigner((ECPrivateKey) ISSUER.getPrivate()));
        return jwt.serialize();
    }

    static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public half as the PEM file `openssl pkey -pubout` writes. */
    static Path publicKeyFile(KeyPair keys) {
        try {
            Path file = Files.createTempFile("quotecast-issuer", ".pub.pem");
            file.toFile().deleteOnExit();
            Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
