package io.quotecast.websocket;

import io.quotecast.stream.CloseCode;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import java.io.IOException;

/** Closes a session with one of our {@link CloseCode}s: the one way this package sends a close. */
final class Closing {

    private static final System.Logger LOG = System.getLogger(Closing.class.getName());

    private Closing() {
    }

    /** A close frame's reason may take this many bytes of UTF-8 (RFC 6455: 125 less the code's 2). */
    static final int MAX_REASON_BYTES = 123;

    /**
     * Closes {@code session}; one that is already gone is no error (the peer may have left first). A
     * reason too long for the frame is cut to fit: a container's failure text can be longer (Open
     * Liberty's send timeout names both socket addresses), and the API refuses a longer one outright,
     * which would leave the connection open.
     */
    static void close(Session session, CloseCode code, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code.code()), fitted(reason)));
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a session that is already gone", e);
        }
    }

    /** {@code reason}, or as many of its first characters as fit in {@value #MAX_REASON_BYTES} bytes of UTF-8. */
    static String fitted(String reason) {
        if (reason.length() * 3 <= MAX_REASON_BYTES) {
            return reason; // fits whatever its characters
        }
        int bytes = 0;
        for (int i = 0; i < reason.length(); ) {
            int codePoint = reason.codePointAt(i);
            int length = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + length > MAX_REASON_BYTES) {
                return reason.substring(0, i);
            }
            bytes += length;
            i += Character.charCount(codePoint);
        }
        return reason;
    }
}
