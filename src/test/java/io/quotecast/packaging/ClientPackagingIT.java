package io.quotecast.packaging;

import io.quotecast.testing.RunningServer;
import org.junit.jupiter.api.Test;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client as shipped, {@code target/quotecast-client.jar}: it holds the client and the protocol's value
 * types, nothing of the server, and a program compiled and run with only it and the dependencies its pom
 * (src/client/pom.xml) brings streams quotes from a real server.
 */
class ClientPackagingIT {

    private static final Path CLIENT_JAR = Path.of("target", "quotecast-client.jar");

    /** The client pom's dependencies and theirs, as Maven resolves them for a user: nothing of the server's. */
    private static final List<String> CLIENT_DEPENDENCIES = List.of("jakarta.websocket-client-api-", "jakarta.websocket-api-",
            "jakarta.json-api-", "parsson-", "tyrus-client-", "tyrus-core-", "tyrus-spi-", "tyrus-container-grizzly-client-",
            "grizzly-framework-", "grizzly-http-server-", "grizzly-http-");

    private static final String PROGRAM = """
            import io.quotecast.client.QuotecastClient;
            import java.net.URI;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.TimeUnit;

            public class Watch {
                public static void main(String[] args) throws Exception {
                    CountDownLatch five = new CountDownLatch(5);
                    try (QuotecastClient client = QuotecastClient.builder(URI.create(args[0]))
                            .listener(tick -> { System.out.println(tick.quote().symbol() + " " + tick.quote().seq()); five.countDown(); })
                            .connect()) {
                        client.subscribe("ACME");
                        System.exit(five.await(30, TimeUnit.SECONDS) ? 0 : 1);
                    }
                }
            }
            """;

    @Test
    void theClientJarHoldsTheClientAndTheSharedValueTypesOnly() throws IOException {
        try (JarFile jar = new JarFile(CLIENT_JAR.toFile())) {
            List<String> classes = Collections.list(jar.entries()).stream().map(ZipEntry::getName)
                    .filter(name -> name.endsWith(".class")).toList();
            List<String> others = classes.stream().filter(name -> !name.startsWith("io/quotecast/client/")).sorted().toList();
            assertEquals(List.of("io/quotecast/market/Bar.class", "io/quotecast/market/Quote.class",
                    "io/quotecast/protocol/ErrorCode.class"), others);
            assertTrue(classes.contains("io/quotecast/client/QuotecastClient.class"), classes.toString());
        }
    }

    @Test
    void aProgramWithOnlyTheClientJarAndItsDependenciesStreamsQuotes() throws Exception {
        Path work = Files.createTempDirectory("client-program");
        Files.writeString(work.resolve("Watch.java"), PROGRAM);
        String classPath = clientClassPath();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int compiled = javac.run(null, null, null, "-cp", classPath, "-d", work.toString(), work.resolve("Watch.java").toString());
        assertEquals(0, compiled, "the program compiles against the client jar alone");
        try (RunningServer server = RunningServer.start("feed.ticksPerSecond", "200")) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process process = new ProcessBuilder(java.toString(), "-cp", work + File.pathSeparator + classPath, "Watch",
                    server.stream().toString()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
            assertEquals(0, process.exitValue(), output);
            assertTrue(output.contains("ACME "), output);
        }
    }

    private static String clientClassPath() {
        List<String> entries = new ArrayList<>();
        entries.add(CLIENT_JAR.toAbsolutePath().toString());
        List<String> testClassPath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        for (String artifact : CLIENT_DEPENDENCIES) {
            String jar = testClassPath.stream()
                    .filter(entry -> Path.of(entry).getFileName().toString().matches(java.util.regex.Pattern.quote(artifact) + "[0-9].*\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError(artifact + "*.jar is not on the test class path"));
            entries.add(jar);
        }
        return String.join(File.pathSeparator, entries);
    }
}
