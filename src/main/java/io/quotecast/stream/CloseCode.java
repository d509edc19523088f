package io.quotecast.stream;

/**
 * Every WebSocket close code this server sends (RFC 6455, section 7.4.1), and only those: the table
 * of docs/protocol.md, "Close codes". Whoever closes a connection names one of these, so the list
 * here is the whole list; the dashboard mirrors it in {@code webapp/modules/close-codes.js}
 * (CloseCodesMirrorTest keeps the two in step).
 */
public enum CloseCode {

    /** A connection with no subscription that sent nothing for {@code connection.unsubscribedIdleSeconds}. */
    NORMAL(1000),
    /** The server is shutting down, the feed restarted (resume on the new run), or a ping went unanswered. */
    GOING_AWAY(1001),
    /** A refused or expired token, a client that keeps sending above its rate, or one that does not read. */
    POLICY(1008),
    /** A client message above {@code connection.maxFrameBytes}. */
    TOO_BIG(1009),
    /** An unexpected server error, such as a write to the client that failed. */
    SERVER_ERROR(1011),
    /** A connection limit: try again later. */
    TRY_AGAIN_LATER(1013);

    private final int code;

    CloseCode(int code) {
        this.code = code;
    }

    /** The number on the wire. */
    public int code() {
        return code;
    }
}
