package io.quotecast.testing;

import io.quotecast.security.MintToken;
import jakarta.json.Json;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** Tokens for tests, signed with {@link #SECRET}, the secret test servers are started with. */
public final class Tokens {

    /** 48 bytes: above HS256's minimum of 32. */
    public static final String SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxy";

    private Tokens() {
    }

    /** The settings of a server that verifies tokens signed with {@link #SECRET} in the given mode. */
    public static String[] settings(String mode, String... more) {
        String[] all = new String[4 + more.length];
        all[0] = "security.tokens";
        all[1] = mode;
        all[2] = "security.tokenSecret";
        all[3] = SECRET;
        System.arraycopy(more, 0, all, 4, more.length);
        return all;
    }

    /** A valid token for {@code sub}; {@code symbols} null for no claim (all symbols). */
    public static String valid(String sub, List<String> symbols, Duration ttl) {
        return MintToken.mint(SECRET, sub, symbols, Instant.now().plus(ttl));
    }

    public static String valid(String sub) {
        return valid(sub, null, Duration.ofHours(1));
    }

    /** Signed correctly, but its exp has passed. */
    public static String expired(String sub) {
        return MintToken.mint(SECRET, sub, null, Instant.now().minusSeconds(60));
    }

    /** Signed with another secret. */
    public static String badlySigned(String sub) {
        return MintToken.mint("another-secret-0123456789-abcdefghijklmnopqrst", sub, null, Instant.now().plusSeconds(3600));
    }

    /** {@code alg: none}, no signature: what an attacker forges by hand. */
    public static String unsigned(String sub) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString(Json.createObjectBuilder().add("alg", "none").add("typ", "JWT").build()
                .toString().getBytes(StandardCharsets.UTF_8));
        String claims = base64.encodeToString(Json.createObjectBuilder().add("sub", sub)
                .add("exp", Instant.now().getEpochSecond() + 3600).build().toString().getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + ".";
    }

    /** Not a JWT at all. */
    public static final String MALFORMED = "not.a.token";
}
