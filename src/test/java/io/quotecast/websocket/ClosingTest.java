package io.quotecast.websocket;

import io.quotecast.stream.CloseCode;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The close frame goes out whatever the reason's length: the API refuses a reason over 123 bytes. */
class ClosingTest {

    private final List<CloseReason> closes = new ArrayList<>();
    private final Session session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {Session.class}, (proxy, method, args) -> {
                if (!method.getName().equals("close")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                closes.add((CloseReason) args[0]);
                return null;
            });

    /** Open Liberty's send timeout, as a failed write's close reason carried it: 171 bytes. */
    @Test
    void aReasonLongerThanTheFrameTakesIsCutAndTheSessionStillClosed() {
        String reason = "a write failed: java.net.SocketTimeoutException: Socket operation timed out before it could"
                + " be completed local=/127.0.0.1:44821 remote=/127.0.0.1:39612";
        Closing.close(session, CloseCode.SERVER_ERROR, reason);
        assertEquals(1, closes.size(), "the session was closed");
        assertEquals(1011, closes.get(0).getCloseCode().getCode());
        assertEquals(reason.substring(0, 123), closes.get(0).getReasonPhrase());
    }

    @Test
    void aReasonIsCutBetweenCharactersNeverInsideOne() {
        String reason = "é".repeat(100); // 200 bytes of UTF-8
        Closing.close(session, CloseCode.POLICY, reason);
        String sent = closes.get(0).getReasonPhrase();
        assertEquals("é".repeat(61), sent);
        assertTrue(sent.getBytes(StandardCharsets.UTF_8).length <= Closing.MAX_REASON_BYTES);
    }

    @Test
    void aShortReasonGoesAsItIs() {
        Closing.close(session, CloseCode.GOING_AWAY, "bye");
        assertEquals("bye", closes.get(0).getReasonPhrase());
    }
}
