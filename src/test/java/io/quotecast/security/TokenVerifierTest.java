package io.quotecast.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.quotecast.testing.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenVerifierTest {

    static final TokenVerifier HS256 = TokenVerifier.of(Tokens.SECRET, "");

    @TempDir
    Path dir;

    @Test
    void aValidTokenAdmitsItsSubWithItsSymbolsAndExpiry() {
        Instant exp = Instant.now().plusSeconds(600);
        Viewer viewer = admitted(HS256.verify(io.quotecast.security.MintToken.mint(Tokens.SECRET, "ann", List.of("acme", "GLOBX"), exp)));
        assertEquals("ann", viewer.user());
        assertEquals(Set.of("ACME", "GLOBX"), viewer.entitlements().symbols());
        assertTrue(viewer.entitlements().allows("acme"));
        assertFalse(viewer.entitlements().allows("INITE"));
        assertEquals(exp.getEpochSecond(), viewer.expires().getEpochSecond());
    }

    @Test
    void noSymbolsClaimOrStarMeansAllSymbols() {
        assertTrue(admitted(HS256.verify(Tokens.valid("ann"))).entitlements().all());
        assertTrue(admitted(HS256.verify(Tokens.valid("ann", List.of("*"), java.time.Duration.ofMinutes(1)))).entitlements().all());
    }

    @Test
    void eachBadTokenIsRefusedForItsOwnReason() {
        assertEquals(Refusal.UNSIGNED_TOKEN, refusal(HS256.verify(Tokens.unsigned("ann"))));
        assertEquals(Refusal.BAD_SIGNATURE, refusal(HS256.verify(Tokens.badlySigned("ann"))));
        assertEquals(Refusal.EXPIRED_TOKEN, refusal(HS256.verify(Tokens.expired("ann"))));
        assertEquals(Refusal.MALFORMED_TOKEN, refusal(HS256.verify(Tokens.MALFORMED)));
        assertEquals(Refusal.MALFORMED_TOKEN, refusal(HS256.verify("")));
    }

    @Test
    void aTokenWithoutExpOrSubIsRefused() throws Exception {
        JWSSigner signer = new com.nimbusds.jose.crypto.MACSigner(Tokens.SECRET.getBytes());
        assertEquals(Refusal.MALFORMED_TOKEN, refusal(HS256.verify(sign(signer, JWSAlgorithm.HS256,
                new JWTClaimsSet.Builder().subject("ann").build()))), "no exp: a token for ever");
        assertEquals(Refusal.MALFORMED_TOKEN, refusal(HS256.verify(sign(signer, JWSAlgorithm.HS256,
                new JWTClaimsSet.Builder().expirationTime(Date.from(Instant.now().plusSeconds(60))).build()))), "no sub");
    }

    @Test
    void aSymbolsClaimThatIsNotAListOfStringsIsRefused() throws Exception {
        JWSSigner signer = new com.nimbusds.jose.crypto.MACSigner(Tokens.SECRET.getBytes());
        assertEquals(Refusal.MALFORMED_TOKEN, refusal(HS256.verify(sign(signer, JWSAlgorithm.HS256, new JWTClaimsSet.Builder()
                .subject("ann").expirationTime(Date.from(Instant.now().plusSeconds(60))).claim("symbols", 42).build()))));
    }

    @Test
    void aSecretShorterThan32BytesIsRefusedAtStartWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenVerifier.of("short-secret", ""));
        assertTrue(e.getMessage().contains("security.tokenSecret") && e.getMessage().contains("32"), e.getMessage());
    }

    @Test
    void tokensOnWithNeitherSecretNorKeyIsRefusedAtStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenVerifier.of("", ""));
        assertTrue(e.getMessage().contains("security.tokenPublicKey"), e.getMessage());
    }

    @Test
    void rs256TokensVerifyWithThePublicKeyFile() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        TokenVerifier verifier = TokenVerifier.of("", pem(keys).toString());
        String token = sign(new RSASSASigner(keys.getPrivate()), JWSAlgorithm.RS256, claims("ann"));
        assertEquals("ann", admitted(verifier.verify(token)).user());
        assertEquals(Refusal.BAD_SIGNATURE, refusal(verifier.verify(Tokens.valid("ann"))), "HS256 is not accepted without a secret");
    }

    @Test
    void es256TokensVerifyWithThePublicKeyFile() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        TokenVerifier verifier = TokenVerifier.of("", pem(keys).toString());
        String token = sign(new ECDSASigner((ECPrivateKey) keys.getPrivate()), JWSAlgorithm.ES256, claims("ann"));
        assertEquals("ann", admitted(verifier.verify(token)).user());
        KeyPair other = generator.generateKeyPair();
        String forged = sign(new ECDSASigner((ECPrivateKey) other.getPrivate()), JWSAlgorithm.ES256, claims("ann"));
        assertEquals(Refusal.BAD_SIGNATURE, refusal(verifier.verify(forged)));
    }

    @Test
    void aPublicKeyTokenRelabelledHs256WithThePublicKeyAsSecretIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Path pem = pem(keys);
        TokenVerifier verifier = TokenVerifier.of("", pem.toString());
        // the classic algorithm confusion: the attacker knows the public key and signs HS256 with it
        String forged = sign(new com.nimbusds.jose.crypto.MACSigner(Files.readAllBytes(pem)), JWSAlgorithm.HS256, claims("ann"));
        assertEquals(Refusal.BAD_SIGNATURE, refusal(verifier.verify(forged)));
    }

    @Test
    void anonymousViewersHaveNoUserAndNoExpiry() {
        Viewer anonymous = Viewer.anonymous(Entitlements.of(List.of("ACME")));
        assertNull(anonymous.user());
        assertNull(anonymous.expires());
    }

    private Path pem(KeyPair keys) throws Exception {
        Path file = dir.resolve("public-" + keys.getPublic().getAlgorithm() + ".pem");
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPublic().getEncoded());
        Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
        return file;
    }

    private static JWTClaimsSet claims(String sub) {
        return new JWTClaimsSet.Builder().subject(sub).expirationTime(Date.from(Instant.now().plusSeconds(600))).build();
    }

    private static String sign(JWSSigner signer, JWSAlgorithm algorithm, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static Viewer admitted(Verdict verdict) {
        return assertInstanceOf(Verdict.Admit.class, verdict, verdict.toString()).viewer();
    }

    private static Refusal refusal(Verdict verdict) {
        return assertInstanceOf(Verdict.Refuse.class, verdict, verdict.toString()).refusal();
    }
}
