package io.quotecast.security;

/**
 * What admission needs from a handshake request, as any transport reads it: the {@code Origin} and
 * {@code Host} headers, the {@code Authorization} header and the {@code access_token} query parameter
 * (each null when absent).
 */
public record HandshakeFacts(String origin, String host, String authorization, String accessToken) {

    /** The query parameter browsers, which cannot set headers on a WebSocket, carry their token in. */
    public static final String ACCESS_TOKEN_PARAMETER = "access_token";

    /** The token presented: the bearer credential of the header, else the query parameter; null if none. */
    public String token() {
        if (authorization != null) {
            String value = authorization.strip();
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String token = value.substring(7).strip();
                if (!token.isEmpty()) {
                    return token;
                }
            }
        }
        return accessToken == null || accessToken.isBlank() ? null : accessToken.strip();
    }
}
