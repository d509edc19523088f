package io.quotecast.websocket;

import io.quotecast.security.Refusal;
import io.quotecast.stream.CloseCode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
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
    void thePagesCloseCodesAreTheServersEveryOneAndNoOther() throws IOException {
        String js = Files.readString(MODULE);
        String table = js.substring(js.indexOf("CLOSE = Object.freeze({"), js.indexOf("});", js.indexOf("CLOSE = Object.freeze({")));
        Map<String, Integer> page = new LinkedHashMap<>();
        Matcher entry = Pattern.compile("\\b([A-Z_]+):\\s*(\\d+)").matcher(table);
        while (entry.find()) {
            page.put(entry.group(1), Integer.parseInt(entry.group(2)));
        }
        Map<String, Integer> server = new LinkedHashMap<>();
        for (CloseCode code : CloseCode.values()) {
            server.put(code.name(), code.code());
        }
        assertEquals(server, page, "CLOSE in " + MODULE + " against io.quotecast.stream.CloseCode");
    }

    @Test
    void thePageTreatsEveryTokenRefusalAsFinalAndNothingElse() throws IOException {
        String js = Files.readString(MODULE);
        String list = js.substring(js.indexOf("TOKEN_REFUSALS = "), js.indexOf("]);", js.indexOf("TOKEN_REFUSALS = ")));
        Matcher quoted = Pattern.compile("'([^']+)'").matcher(list);
        java.util.List<String> page = new java.util.ArrayList<>();
        while (quoted.find()) {
            page.add(quoted.group(1));
        }
        assertEquals(Arrays.stream(Refusal.values()).map(Refusal::reason).sorted().toList(), page.stream().sorted().toList());
        assertFalse(page.stream().anyMatch(r -> r.contains("not reading") || r.contains("rate limit")), page.toString());
        assertTrue(js.contains("export function closeVerdict"), "one function decides");
    }
}
