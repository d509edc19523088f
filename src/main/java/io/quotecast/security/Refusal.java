package io.quotecast.security;

/**
 * Why a handshake (or an {@code auth}) was refused, with the HTTP status a transport answers the
 * handshake with, and the reason text of the 1008 close where the refusal can only come after it.
 */
public enum Refusal {
    FOREIGN_ORIGIN(403, "origin not allowed"),
    NO_TOKEN(401, "no token"),
    UNSIGNED_TOKEN(401, "unsigned token"),
    BAD_SIGNATURE(401, "bad token signature"),
    EXPIRED_TOKEN(401, "token expired"),
    MALFORMED_TOKEN(401, "malformed token"),
    OTHER_USER(401, "token for another user"),
    TOKENS_OFF(401, "tokens are off");

    private final int httpStatus;
    private final String reason;

    Refusal(int httpStatus, String reason) {
        this.httpStatus = httpStatus;
        this.reason = reason;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Short, fixed text: safe for a log line, a close frame (at most 123 bytes) and a client's eyes. */
    public String reason() {
        return reason;
    }
}
