package io.quotecast.packaging;

import io.quotecast.stream.QuoteHub;
import io.quotecast.testing.Contract;
import io.quotecast.testing.DroppingProxy;
import io.quotecast.testing.Eventually;
import io.quotecast.testing.RunningServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar quotecast-standalone.jar tail --json}, as shipped, through a proxy that drops its connections. */
class TailCommandIT {

    private static final Path JAR = Path.of("target", "quotecast-standalone.jar");
    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void tailJsonPrintsEverySeqOfItsSymbolsOnceInOrderAcrossDrops() throws Exception {
        try (RunningServer server = RunningServer.start("feed.ticksPerSecond", "1000");
             DroppingProxy proxy = new DroppingProxy(server.port())) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process tail = new ProcessBuilder(java.toString(), "-jar", JAR.toString(), "tail", "--json",
                    proxy.stream().toString(), "ACME", "GLOBX").start();
            List<String> out = lines(tail.getInputStream());
            List<String> err = lines(tail.getErrorStream());
            try {
                for (int drop = 0; drop < 3; drop++) {
                    int printed = out.size();
                    Eventually.await("quotes printed before drop " + drop, () -> out.size() > printed + 20, LONG);
                    proxy.dropAll();
                }
                long target = latestSeq(server, "ACME") + 10;
                Eventually.await("tail catches up after the last drop", () -> lastSeq(out, "ACME") >= target, LONG);
            } finally {
                tail.destroy();
                tail.waitFor(10, TimeUnit.SECONDS);
                tail.destroyForcibly();
            }
            Map<String, List<Long>> seqs = new HashMap<>();
            for (String line : snapshot(out)) {
                assertEquals(List.of(), Contract.served().checkServerFrame(line), "stdout holds quote frames only: " + line);
                JsonObject quote = Json.createReader(new StringReader(line)).readObject();
                assertEquals("quote", quote.getString("type"), line);
                seqs.computeIfAbsent(quote.getString("symbol"), symbol -> new ArrayList<>()).add(quote.getJsonNumber("seq").longValue());
            }
            assertEquals(Set.of("ACME", "GLOBX"), seqs.keySet());
            seqs.forEach((symbol, list) -> {
                for (int i = 1; i < list.size(); i++) {
                    assertEquals(list.get(i - 1) + 1, list.get(i), symbol + " once each, in order, at " + i);
                }
            });
            assertTrue(snapshot(err).stream().filter(line -> line.contains("reconnecting")).count() >= 3,
                    "stderr says so on each reconnect: " + snapshot(err));
        }
    }

    private static long lastSeq(List<String> out, String symbol) {
        List<String> lines = snapshot(out);
        for (int i = lines.size() - 1; i >= 0; i--) {
            JsonObject quote = Json.createReader(new StringReader(lines.get(i))).readObject();
            if (symbol.equals(quote.getString("symbol", null))) {
                return quote.getJsonNumber("seq").longValue();
            }
        }
        return 0;
    }

    private static long latestSeq(RunningServer server, String symbol) {
        QuoteHub hub = server.server().quotecast().hub();
        return hub.latest(hub.catalog().indexOf(symbol)).orElseThrow().seq();
    }

    /** The lines of a process's stream as they come, read on a thread of their own. */
    private static List<String> lines(InputStream stream) {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "tail-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static List<String> snapshot(List<String> lines) {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }
}
