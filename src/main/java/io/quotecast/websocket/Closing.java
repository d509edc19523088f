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

    /** Closes {@code session}; one that is already gone is no error (the peer may have left first). */
    static void close(Session session, CloseCode code, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code.code()), reason));
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a session that is already gone", e);
        }
    }
}
