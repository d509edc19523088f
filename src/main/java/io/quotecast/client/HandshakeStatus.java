package io.quotecast.client;

import java.lang.reflect.Method;

/**
 * The HTTP status of a refused handshake, as far as the WebSocket implementation tells it: the Jakarta API
 * has no standard way, so the exception's causes are asked for a public {@code getHttpStatusCode()} (Tyrus's
 * {@code HandshakeException}), and Tyrus's {@code AuthenticationException} means 401. 0 when unknown.
 */
final class HandshakeStatus {

    private HandshakeStatus() {
    }

    static int of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getClass().getSimpleName().equals("AuthenticationException")) {
                return 401;
            }
            try {
                Method status = cause.getClass().getMethod("getHttpStatusCode");
                Object code = status.invoke(cause);
                if (code instanceof Integer http && http > 0) {
                    return http;
                }
            } catch (ReflectiveOperationException | RuntimeException notThisOne) {
                // not a handshake failure of a known shape: look further down the causes
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return 0;
    }
}
