package io.quotecast.websocket;

import io.quotecast.Quotecast;
import io.quotecast.security.Refusal;
import io.quotecast.stream.Subscriber;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page decides from webapp/modules/close-codes.js whether a close is final: its codes and its list
 * of token refusals must be the server's, or a renamed reason would make a refused token retry forever
 * (or a stuck connection give up).
 */
class CloseCodesMirrorTest {

    private static final Path MODULE = Path.of("webapp", "modules", "close-codes.js");

    @Test
    void thePagesCloseCodesAreTheServers() throws IOException {
        String js = Files.readString(MODULE);
        assertEquals(Quotecast.CLOSE_GOING_AWAY, code(js, "GOING_AWAY"));
        assertEquals(QuoteEndpoint.CLOSE_POLICY, code(js, "POLICY"));
        assertEquals(QuoteEndpoint.CLOSE_TOO_BIG, code(js, "TOO_BIG"));
        assertEquals(ConnectionGuard.CLOSE_TRY_AGAIN_LATER, code(js, "TRY_AGAIN_LATER"));
        assertEquals(Subscriber.CLOSE_NOT_READING, QuoteEndpoint.CLOSE_POLICY, "a stuck client's close is the policy code the page retries");
    }

    @Test
    void thePageTreatsEveryTokenRefusalAsFinalAndNothingElse() throws IOException {
        String js = Files.readString(MODULE);
        String list = js.substring(js.indexOf("TOKEN_REFUSALS"), js.indexOf("]);", js.indexOf("TOKEN_REFUSALS")));
        Matcher quoted = Pattern.compile("'([^']+)'").matcher(list);
        java.util.List<String> page = new java.util.ArrayList<>();
        while (quoted.find()) {
            page.add(quoted.group(1));
        }
        assertEquals(Arrays.stream(Refusal.values()).map(Refusal::reason).sorted().toList(), page.stream().sorted().toList());
        assertFalse(page.stream().anyMatch(r -> r.contains("not reading") || r.contains("rate limit")), page.toString());
        assertTrue(js.contains("export function closeVerdict"), "one function decides");
    }

    private static int code(String js, String name) {
        Matcher m = Pattern.compile("\\b" + name + ":\\s*(\\d+)").matcher(js);
        assertTrue(m.find(), name + " in " + MODULE);
        return Integer.parseInt(m.group(1));
    }
}
