package io.quotecast.server;

import io.quotecast.testing.RealParts;
import io.quotecast.testing.RunningServer;
import io.quotecast.testing.StartBanner;
import io.quotecast.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@RealParts
class ShutdownTest {

    @Test
    void stoppingTheServerClosesEveryClientWith1001() {
        RunningServer server = RunningServer.start("feed.ticksPerSecond", "200");
        try (server; TestClient first = server.connect(); TestClient second = server.connect()) {
            first.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            first.next(quoteOf("ACME"));
            second.next("hello");
            server.close();
            assertEquals(1001, first.awaitClose());
            assertEquals(1001, second.awaitClose());
        }
    }

    @Test
    void sigtermClosesClientsWith1001AndExitsWithinFiveSeconds() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dserver.host=127.0.0.1", "-Dserver.port=0", Main.class.getName()))
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = output.readLine()) != null && !line.contains("Quotecast started")) {
                // the launcher prints its banner once it listens
            }
            assertTrue(line != null, "the server printed its start banner");
            // The server picked a free port itself (port 0) and names it in the banner: nothing to race for.
            int port = StartBanner.port(line);
            try (TestClient client = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/quotes?symbols=ACME"))) {
                client.next(quoteOf("ACME"));
                long signalled = System.nanoTime();
                process.destroy(); // SIGTERM
                assertEquals(1001, client.awaitClose());
                assertTrue(process.waitFor(5, TimeUnit.SECONDS), "the process exits within 5 s of SIGTERM");
                assertTrue(Duration.ofNanos(System.nanoTime() - signalled).toMillis() < 5_000);
            }
        } finally {
            process.destroyForcibly();
        }
    }
}
