package io.quotecast.client;

/**
 * Why a connection ended: the server's close {@code code} and {@code reason}, or {@link #NO_CLOSE} when the
 * connection broke without one (or never opened); {@code httpStatus}: the handshake's refusal (401, 403,
 * 503), 0 when the handshake was not refused.
 */
public record Disconnect(int code, String reason, int httpStatus) {

    /** A normal close (RFC 6455), as {@link QuotecastClient#close} sends it. */
    public static final int NORMAL = 1000;

    /** No close frame: the connection broke or could not be made. */
    public static final int NO_CLOSE = -1;

    static Disconnect closed(int code, String reason) {
        return new Disconnect(code, reason, 0);
    }

    static Disconnect failed(int httpStatus, String reason) {
        return new Disconnect(NO_CLOSE, reason, httpStatus);
    }

    /** A refused or expired token (1008, HTTP 401 or 403): retrying with the same credentials cannot help. */
    boolean refused() {
        return code == 1008 || httpStatus == 401 || httpStatus == 403;
    }

    /** The server, or this address, is at its connection limit (1013, HTTP 503): come back later. */
    boolean overloaded() {
        return code == 1013 || httpStatus == 503;
    }
}
