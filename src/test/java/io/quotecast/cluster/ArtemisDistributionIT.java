package io.quotecast.cluster;

import io.quotecast.testing.NodeProcess;
import io.quotecast.testing.RunningServer;
import io.quotecast.testing.TestClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster on the real ActiveMQ Artemis distribution, as docs/cluster.md starts it: unpacked from Maven
 * Central by the build ({@code unpack-artemis}), an instance made with {@code artemis create --require-login}
 * on the port the build reserved, and run with {@code artemis run}.
 */
class ArtemisDistributionIT {

    private static final String USER = "quotecast";
    private static final String PASSWORD = "distribution-test-password";

    private static Process broker;
    private static String url;

    @BeforeAll
    static void startTheDistributionsBroker() throws Exception {
        Path home = Path.of(System.getProperty("it.artemisHome"));
        url = "tcp://127.0.0.1:" + System.getProperty("it.artemisPort");
        Path instance = Path.of("target", "artemis-instance").toAbsolutePath();
        if (Files.exists(instance)) {
            try (Stream<Path> files = Files.walk(instance)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Process create = new ProcessBuilder(home.resolve("bin/artemis").toString(), "create", instance.toString(),
                "--user", USER, "--password", PASSWORD, "--require-login", "--silent",
                // only the core acceptor, on the reserved port: no fixed ports (web console, AMQP, STOMP, MQTT, HornetQ)
                "--no-web", "--no-amqp-acceptor", "--no-stomp-acceptor", "--no-hornetq-acceptor", "--no-mqtt-acceptor",
                "--no-autotune", "--no-fsync", "--disable-persistence",
                "--host", "127.0.0.1", "--default-port", System.getProperty("it.artemisPort"))
                .redirectErrorStream(true).redirectOutput(Path.of("target", "artemis-create.log").toFile()).start();
        assertTrue(create.waitFor(60, TimeUnit.SECONDS) && create.exitValue() == 0, "artemis create: see target/artemis-create.log");
        broker = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run").redirectErrorStream(true).start();
        CompletableFuture<Void> active = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
                 var log = Files.newBufferedWriter(Path.of("target", "artemis-run.log"))) {
                String line;
                while ((line = out.readLine()) != null) {
                    log.write(line);
                    log.newLine();
                    log.flush();
                    if (line.contains("AMQ221007")) { // Server is now active
                        active.complete(null);
                    }
                }
            } catch (IOException ignored) {
                // the broker ended
            }
            active.completeExceptionally(new IllegalStateException("the broker exited; see target/artemis-run.log"));
        }, "artemis-output");
        reader.setDaemon(true);
        reader.start();
        active.get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopTheBroker() throws InterruptedException {
        if (broker != null) {
            // bin/artemis is a script: stop the JVM it started too
            List<ProcessHandle> children = broker.descendants().toList();
            broker.destroy();
            children.forEach(ProcessHandle::destroy);
            broker.waitFor(20, TimeUnit.SECONDS);
            children.forEach(child -> child.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> child).join());
        }
    }

    @Test
    void aSubscriberServesThePublishersTicksThroughTheDistributionsBroker() {
        try (NodeProcess publisher = NodeProcess.start("dist-publisher", "feed.mode", "publish", "broker.url", url,
                     "broker.user", USER, "broker.password", PASSWORD, "feed.ticksPerSecond", "200");
             NodeProcess subscriber = NodeProcess.start("dist-subscriber", "feed.mode", "subscribe", "broker.url", url,
                     "broker.user", USER, "broker.password", PASSWORD);
             TestClient onPublisher = TestClient.connect(publisher.stream("?symbols=ACME"));
             TestClient onSubscriber = TestClient.connect(subscriber.stream("?symbols=ACME"))) {
            assertEquals(onPublisher.next("hello").getString("epoch"), onSubscriber.next("hello").getString("epoch"));
            long target = onPublisher.next(quoteOf("ACME").and(quote -> !quote.containsKey("snapshot"))).getJsonNumber("seq").longValue() + 2;
            JsonObject published = onPublisher.next(quoteOf("ACME").and(quote -> quote.getJsonNumber("seq").longValue() == target));
            JsonObject received = onSubscriber.next(quoteOf("ACME").and(quote -> quote.getJsonNumber("seq").longValue() == target),
                    Duration.ofSeconds(10));
            for (String field : List.of("price", "volume", "ts")) {
                assertEquals(published.get(field), received.get(field), field);
            }
            assertEquals("UP", subscriber.health().getJsonObject("broker").getString("state"));
        }
    }

    @Test
    void aWrongBrokerPasswordStopsTheStartWithAClearError() {
        IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(IllegalStateException.class,
                () -> RunningServer.start("feed.mode", "subscribe", "broker.url", url, "broker.user", USER, "broker.password", "wrong")));
        assertTrue(e.getMessage().contains("refused broker.user '" + USER + "'") && e.getMessage().contains(url), e.getMessage());
    }
}
