package io.quotecast.security;

import java.time.Instant;

/**
 * Who is on the other end of a connection, as admitted at the handshake: the token's {@code sub}
 * ({@code user}, null when anonymous or when tokens are off), what they are entitled to, and when
 * their token expires (null: never, no token).
 */
public record Viewer(String user, Entitlements entitlements, Instant expires) {

    /** Tokens off: no one in particular, entitled to everything, for ever. */
    public static final Viewer OPEN = new Viewer(null, Entitlements.ALL, null);

    public static Viewer anonymous(Entitlements entitlements) {
        return new Viewer(null, entitlements, null);
    }
}
