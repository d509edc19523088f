package io.quotecast.config;

import java.util.List;

/**
 * {@code security.*}: who may connect (origins, tokens) and what an anonymous client may see (docs/security.md).
 *
 * @param allowedOrigins   {@code security.allowedOrigins}, besides the server's own
 * @param tokens           {@code security.tokens}
 * @param tokenSecret      {@code security.tokenSecret} (HS256)
 * @param tokenPublicKey   {@code security.tokenPublicKey} (RS256, ES256)
 * @param anonymousSymbols {@code security.anonymousSymbols}
 */
public record SecuritySettings(
        List<String> allowedOrigins,
        TokenMode tokens,
        String tokenSecret,
        String tokenPublicKey,
        List<String> anonymousSymbols) {

    public SecuritySettings {
        allowedOrigins = List.copyOf(allowedOrigins);
        anonymousSymbols = List.copyOf(anonymousSymbols);
    }

    /** Never shows the secret: settings end up in logs. */
    @Override
    public String toString() {
        return "SecuritySettings[allowedOrigins=" + allowedOrigins + ", tokens=" + tokens
                + ", tokenSecret=" + Settings.hidden(tokenSecret) + ", tokenPublicKey=" + tokenPublicKey
                + ", anonymousSymbols=" + anonymousSymbols + "]";
    }
}
