package io.quotecast.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies a JWT with nimbus-jose-jwt: HS256 with a shared secret, RS256 or ES256 with a public key.
 * Unsigned tokens ({@code alg: none}), other algorithms, bad signatures, tokens without {@code sub} or
 * {@code exp}, and expired ones are refused; the {@code symbols} claim becomes the entitlements.
 */
public final class TokenVerifier {

    /** HS256 needs a key as long as its hash (RFC 7518, 3.2): shorter secrets can be brute-forced. */
    public static final int MIN_SECRET_BYTES = 32;
    /** The claim listing the tickers a token entitles to; absent or {@code ["*"]}: all. */
    public static final String SYMBOLS_CLAIM = "symbols";

    private final Map<JWSAlgorithm, JWSVerifier> verifiers;
    private final DefaultJWTClaimsVerifier<?> claimsVerifier;

    private TokenVerifier(Map<JWSAlgorithm, JWSVerifier> verifiers) {
        this.verifiers = Map.copyOf(verifiers);
        this.claimsVerifier = new DefaultJWTClaimsVerifier<>(null, Set.of("sub", "exp"));
        // the connection closes at exp to the second: no grace after it
        this.claimsVerifier.setMaxClockSkew(0);
    }

    /**
     * From {@code security.tokenSecret} (HS256; empty: none) and {@code security.tokenPublicKey} (a PEM
     * file, RSA for RS256 or EC P-256 for ES256; empty: none). At least one must be given.
     */
    public static TokenVerifier of(String secret, String publicKeyFile) {
        Map<JWSAlgorithm, JWSVerifier> verifiers = new HashMap<>();
        if (!secret.isEmpty()) {
            verifiers.put(JWSAlgorithm.HS256, macVerifier(secret));
        }
        if (!publicKeyFile.isEmpty()) {
            addPublicKey(verifiers, Path.of(publicKeyFile));
        }
        if (verifiers.isEmpty()) {
            throw new IllegalArgumentException("security.tokens is on but neither security.tokenSecret (HS256) nor "
                    + "security.tokenPublicKey (RS256/ES256) is set: no token could ever be verified");
        }
        return new TokenVerifier(verifiers);
    }

    /** The algorithms this verifier accepts. */
    public Set<JWSAlgorithm> algorithms() {
        return verifiers.keySet();
    }

    /** Admits the token's {@code sub} with its entitlements, or says why not. */
    public Verdict verify(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            return refuse(Refusal.MALFORMED_TOKEN, "not a JWT");
        }
        if (jwt instanceof PlainJWT) {
            return refuse(Refusal.UNSIGNED_TOKEN, "alg none");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            return refuse(Refusal.MALFORMED_TOKEN, "encrypted JWT, expected a signed one");
        }
        JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
        JWSVerifier verifier = verifiers.get(algorithm);
        if (verifier == null) {
            return refuse(Refusal.BAD_SIGNATURE, "alg " + algorithm + " not accepted; accepted: " + algorithms());
        }
        try {
            if (!signed.verify(verifier)) {
                return refuse(Refusal.BAD_SIGNATURE, "signature does not verify");
            }
        } catch (JOSEException e) {
            return refuse(Refusal.BAD_SIGNATURE, "signature cannot be verified: " + e.getMessage());
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            return refuse(Refusal.MALFORMED_TOKEN, "claims are not a JSON object");
        }
        if (claims.getExpirationTime() != null && !claims.getExpirationTime().toInstant().isAfter(Instant.now())) {
            return refuse(Refusal.EXPIRED_TOKEN, "expired at " + claims.getExpirationTime().toInstant() + ", sub " + claims.getSubject());
        }
        try {
            claimsVerifier.verify(claims, null);
        } catch (BadJWTException e) {
            return refuse(Refusal.MALFORMED_TOKEN, e.getMessage());
        }
        Entitlements entitlements;
        try {
            List<String> symbols = claims.getStringListClaim(SYMBOLS_CLAIM);
            entitlements = symbols == null ? Entitlements.ALL : Entitlements.of(symbols);
        } catch (ParseException e) {
            return refuse(Refusal.MALFORMED_TOKEN, "claim 'symbols' is not an array of strings");
        }
        return new Verdict.Admit(new Viewer(claims.getSubject(), entitlements, claims.getExpirationTime().toInstant()));
    }

    private static Verdict refuse(Refusal refusal, String detail) {
        return new Verdict.Refuse(refusal, detail);
    }

    private static JWSVerifier macVerifier(String secret) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("security.tokenSecret is " + key.length + " bytes; HS256 needs at least "
                    + MIN_SECRET_BYTES + " (256 bits), or tokens signed with it can be forged by brute force. "
                    + "Make one with: openssl rand -base64 48");
        }
        try {
            return new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("security.tokenSecret cannot be used for HS256: " + e.getMessage(), e);
        }
    }

    private static void addPublicKey(Map<JWSAlgorithm, JWSVerifier> verifiers, Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("security.tokenPublicKey: cannot read " + file, e);
        }
        try {
            PublicKey key = publicKey(pem);
            if (key instanceof RSAPublicKey rsa) {
                verifiers.put(JWSAlgorithm.RS256, new RSASSAVerifier(rsa));
            } else if (key instanceof ECPublicKey ec && Curve.forECParameterSpec(ec.getParams()) == Curve.P_256) {
                verifiers.put(JWSAlgorithm.ES256, new ECDSAVerifier(ec));
            } else {
                throw new IllegalArgumentException("security.tokenPublicKey: " + file + " holds a " + key.getAlgorithm()
                        + " key; expected RSA (RS256) or EC P-256 (ES256)");
            }
        } catch (JOSEException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("security.tokenPublicKey: " + file + " is not a PEM public key "
                    + "(BEGIN PUBLIC KEY) or certificate (BEGIN CERTIFICATE) of RSA or EC P-256: " + e.getMessage(), e);
        }
    }

    /**
     * The key of a PEM {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo) or {@code CERTIFICATE}, with the
     * JDK's own parsers: nimbus's PEM reader needs BouncyCastle, a large dependency for this one step.
     */
    private static PublicKey publicKey(String pem) throws GeneralSecurityException {
        String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        if (pem.contains("BEGIN CERTIFICATE")) {
            return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
        }
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance("RSA").generatePublic(spec);
        } catch (InvalidKeySpecException notRsa) {
            return KeyFactory.getInstance("EC").generatePublic(spec);
        }
    }

    @Override
    public String toString() {
        return "TokenVerifier" + algorithms();
    }
}
