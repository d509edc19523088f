package io.quotecast.server;

import io.quotecast.testing.Eventually;
import io.quotecast.testing.NodeProcess;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The standalone server's first start, in a process of its own, as an operator sees its console: no
 * warning from SLF4J (the libraries that log through it find its java.util.logging provider), and
 * every log record on one line, with its time, level and logger, ours and the libraries' alike.
 */
@RealParts
class CleanStartTest {

    /** One record as server.Main formats it: date, time to the millisecond, level, logger, message. */
    private static final Pattern RECORD = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} [A-Z]+ [\\w.$]+: .*");

    @Test
    void aFirstStartPrintsNoSlf4jWarningAndEveryLogRecordOnOneLine() {
        List<String> lines;
        try (NodeProcess node = NodeProcess.start("clean-start")) {
            try (TestClient client = TestClient.connect(node.stream("?symbols=ACME"))) {
                client.next(quoteOf("ACME"));
            }
            Eventually.await("the connection's close line", () -> node.output().contains("connection closed:"));
            lines = node.output().lines().toList();
        }
        assertTrue(lines.stream().noneMatch(line -> line.contains("SLF4J")), "no SLF4J warning: " + lines);
        List<String> records = lines.stream().filter(line -> RECORD.matcher(line).matches()).toList();
        List<String> others = lines.stream().filter(line -> !RECORD.matcher(line).matches())
                .filter(line -> !line.startsWith("Quotecast started") && !line.startsWith("Quotecast: shutting down")).toList();
        assertEquals(List.of(), others, "every line but the banner is a whole record: " + lines);
        assertTrue(records.stream().anyMatch(line -> line.contains(" INFO io.quotecast.Quotecast: Quotecast settings: ")),
                "the settings' record, with its level and logger on its line: " + records);
        assertTrue(records.stream().anyMatch(line -> line.contains(" INFO io.quotecast.websocket.ConnectionGuard: connection open: ")),
                "a connection's record: " + records);
    }
}
