package io.quotecast.protocol;

/** The {@code code} of an {@code error} message, as the protocol (docs/protocol.md) names them. */
public enum ErrorCode {
    BAD_REQUEST("bad_request"),
    UNKNOWN_ACTION("unknown_action"),
    UNKNOWN_SYMBOL("unknown_symbol"),
    TOO_MANY_SYMBOLS("too_many_symbols"),
    RATE_LIMITED("rate_limited"),
    FORBIDDEN("forbidden"),
    UNAUTHORIZED("unauthorized");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
