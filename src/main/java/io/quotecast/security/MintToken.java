package io.quotecast.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

/**
 * Mints an HS256 token for testing and demos, signed with the secret in the environment variable
 * {@code QUOTECAST_TOKEN_SECRET} (never an argument: arguments are visible to every user of the machine).
 *
 * <pre>QUOTECAST_TOKEN_SECRET=... java -jar quotecast-standalone.jar mint-token --sub ann --symbols ACME,GLOBX --ttl 3600</pre>
 */
public final class MintToken {

    /** Where the signing secret is read from. */
    public static final String SECRET_VARIABLE = "QUOTECAST_TOKEN_SECRET";

    private MintToken() {
    }

    public static void main(String[] args) {
        String sub = null;
        List<String> symbols = null;
        long ttlSeconds = 3600;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--sub" -> sub = value;
                case "--symbols" -> symbols = value == null ? null : Arrays.stream(value.split(",")).map(String::strip).toList();
                case "--ttl" -> ttlSeconds = value == null ? -1 : Long.parseLong(value);
                default -> usage("unknown argument " + args[i]);
            }
            i++;
        }
        if (sub == null || sub.isBlank() || ttlSeconds <= 0) {
            usage("--sub is required and --ttl must be a positive number of seconds");
        }
        String secret = System.getenv(SECRET_VARIABLE);
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < TokenVerifier.MIN_SECRET_BYTES) {
            usage("set " + SECRET_VARIABLE + " to the server's security.tokenSecret (at least "
                    + TokenVerifier.MIN_SECRET_BYTES + " bytes)");
        }
        System.out.println(mint(secret, sub, symbols, Instant.now().plusSeconds(ttlSeconds)));
    }

    /** An HS256 JWT with {@code sub}, {@code iat}, {@code exp} and, unless null, {@code symbols}. */
    public static String mint(String secret, String sub, List<String> symbols, Instant expires) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(sub)
                .issueTime(new Date())
                .expirationTime(Date.from(expires));
        if (symbols != null) {
            claims.claim(TokenVerifier.SYMBOLS_CLAIM, symbols);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign with this secret: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    private static void usage(String problem) {
        System.err.println("mint-token: " + problem);
        System.err.println("usage: " + SECRET_VARIABLE + "=<secret> java -jar quotecast-standalone.jar "
                + "mint-token --sub USER [--symbols ACME,GLOBX|*] [--ttl SECONDS]");
        System.exit(2);
    }
}
