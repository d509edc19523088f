package io.quotecast.container;

import io.quotecast.testing.Eventually;
import io.quotecast.testing.StreamServer;
import io.quotecast.testing.TestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The application server a {@code *ContainerIT} runs against, as its failsafe execution describes it
 * (system properties {@code it.*}, see pom.xml): where it listens, where it is installed, where it logs,
 * and its running JVM, found among this machine's processes and inspected with {@code jcmd}.
 */
final class ApplicationServer implements StreamServer {

    /** Where the WAR is deployed: {@code quotecast.war} gets the context root {@code /quotecast}. */
    static final String CONTEXT = "/quotecast";

    /** The main entry point on a server JVM's command line (see {@link #pid}). */
    private static final Pattern MAIN = Pattern.compile(
            "glassfish\\.bootstrap\\.|jboss-modules\\.jar|org\\.apache\\.catalina\\.startup\\.Bootstrap|/start\\.jar|/ws-server\\.jar");

    private static final Pattern THREAD_NAME = Pattern.compile("^\"(quotecast-[^\"]*)\"", Pattern.MULTILINE);

    final String name = required("it.server");
    final int httpPort = Integer.parseInt(required("it.httpPort"));
    final Path home = Path.of(required("it.serverHome"));
    final Path log = Path.of(required("it.serverLog"));

    /** The settings the server JVM was started with, as system properties (pom.xml). */
    final int maxFrameBytes = Integer.parseInt(required("it.maxFrameBytes"));
    final double ticksPerSecond = Double.parseDouble(required("it.ticksPerSecond"));
    final long stuckTimeoutMillis = Long.parseLong(required("it.stuckTimeoutMillis"));
    /** security.tokens=optional (pom.xml): anonymous clients are served; tokens are signed with this secret. */
    final String tokenSecret = required("it.tokenSecret");
    final int httpsPort = Integer.parseInt(required("it.httpsPort"));
    final int adminPort = Integer.parseInt(required("it.adminPort"));

    /** A token the server accepts, for {@code sub}, entitled to {@code symbols} (null: all), valid for an hour. */
    String token(String sub, List<String> symbols) {
        return io.quotecast.security.MintToken.mint(tokenSecret, sub, symbols, java.time.Instant.now().plusSeconds(3600));
    }

    /**
     * Sets a system property in the running server JVM, through the server's own administration tool, as an
     * operator would; the application reads it at its next deploy. {@code value} null removes it. The
     * servers of {@link io.quotecast.container.dropin.DropInContainer} have it done as their operator would
     * (testing/AppServer): Payara with asadmin, the others by a restart of their JVM with the property in
     * their own start configuration (Tomcat bin/setenv.sh, Liberty jvm.options, Jetty's command line).
     */
    void systemProperty(String property, String value) {
        if (!name.equals("glassfish") && !name.equals("wildfly")) {
            io.quotecast.container.dropin.DropInContainer.systemProperty(property, value);
            return;
        }
        List<String> command = switch (name) {
            case "glassfish" -> value == null
                    ? List.of(home.resolve("bin/asadmin").toString(), "--port", String.valueOf(adminPort), "delete-system-property", property)
                    : List.of(home.resolve("bin/asadmin").toString(), "--port", String.valueOf(adminPort), "create-system-properties",
                            property + "=" + value);
            case "wildfly" -> List.of(home.resolve("bin/jboss-cli.sh").toString(), "--controller=127.0.0.1:" + adminPort, "-c",
                    "--command=/system-property=" + property + (value == null ? ":remove" : ":add(value=" + value + ")"));
            default -> throw new IllegalStateException("no administration tool known for " + name);
        };
        run(command);
    }

    /** GlassFish's server JVM writes this line to its log as it starts; the launcher does not. */
    private static final String GLASSFISH_SERVER_STARTED = "Running GlassFish Version";
    /** The launcher's first line, as it starts a server JVM (its message id). */
    private static final String GLASSFISH_LAUNCHED = "NCLS-GFLAUNCHER-00005";

    /**
     * GlassFish 7.0.20 has been seen, in three CI runs of about twenty, to come up with its server JVM's
     * log lost: server.log held the launcher's lines only, and no line of the server JVM was found,
     * neither there nor in an unlinked file the JVM still had open ({@link #writtenLog}). The checks of
     * what the server logs would then have nothing to read. So, before them: while the server's own start
     * line is not in its log, the domain is restarted (twice at most), and each restart is printed. True if
     * it was restarted (its applications then start again).
     */
    boolean restartGlassFishWhileItsLogIsLost() {
        for (int restarts = 0; ; restarts++) {
            try {
                Eventually.await("GlassFish's own start line in " + log,
                        () -> serverStartedSinceItsLaunch(logSince(0)), Duration.ofSeconds(10));
                return restarts > 0;
            } catch (AssertionError lost) {
                if (restarts == 2) {
                    throw new AssertionError("GlassFish's log still holds no line of its server JVM after two restarts", lost);
                }
            }
            record("RESTART server=" + name + ": its log holds no line of the server JVM, " + log);
            run(List.of(home.resolve("bin/asadmin").toString(), "stop-domain", "domain1"));
            run(List.of(home.resolve("bin/asadmin").toString(), "start-domain", "domain1"));
        }
    }

    /** Whether the server's own start line follows the launcher's last "JVM invocation" line (a log may hold earlier runs). */
    private static boolean serverStartedSinceItsLaunch(List<String> lines) {
        int launched = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(GLASSFISH_LAUNCHED)) {
                launched = i;
            }
        }
        return lines.subList(launched, lines.size()).stream().anyMatch(line -> line.contains(GLASSFISH_SERVER_STARTED));
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
    final int pingSeconds = Integer.parseInt(required("it.pingSeconds"));

    @Override
    public URI page(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + CONTEXT + path);
    }

    /** The stream URL, with an optional query such as {@code "?symbols=ACME"}. */
    @Override
    public URI stream(String query) {
        return URI.create("ws://127.0.0.1:" + httpPort + CONTEXT + "/quotes" + query);
    }

    @Override
    public double ticksPerSecond() {
        return ticksPerSecond;
    }

    /** The names of the server JVM's live threads named {@code quotecast-*}, from {@code jcmd Thread.print}. */
    Set<String> quotecastThreads() {
        Set<String> names = new TreeSet<>();
        Matcher matcher = THREAD_NAME.matcher(threadDump());
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** The stacks of the quotecast-* threads still in the server JVM, as jcmd prints them: where each one waits. */
    String quotecastStacks() {
        return Arrays.stream(threadDump().split("\n\n"))
                .filter(block -> block.startsWith("\"quotecast-"))
                .collect(Collectors.joining("\n\n"));
    }

    String threadDump() {
        long pid = pid();
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                    .redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new AssertionError("jcmd " + pid + " Thread.print failed: " + new String(output, StandardCharsets.UTF_8));
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The server JVM: the process whose command line names this server's home and its main entry point
     * (GlassFish 7 and Payara 6: {@code com.sun.enterprise.glassfish.bootstrap...}, started detached by asadmin;
     * WildFly: {@code jboss-modules.jar}, a child of the test JVM; Tomcat: its {@code Bootstrap} class;
     * Jetty: {@code start.jar}; Liberty: {@code ws-server.jar}).
     */
    long pid() {
        String where = canonical(home);
        List<ProcessHandle> candidates = ProcessHandle.allProcesses()
                .filter(process -> process.pid() != ProcessHandle.current().pid())
                .filter(process -> process.info().commandLine()
                        .map(line -> line.contains(where) && MAIN.matcher(line).find())
                        .orElse(false))
                .toList();
        if (candidates.size() != 1) {
            throw new AssertionError("expected one " + name + " JVM running from " + where + ", found " + candidates.size());
        }
        return candidates.get(0).pid();
    }

    /** The length of the server log now: {@link #logSince} reads what was written after it. */
    long logLength() {
        try {
            Path written = writtenLog();
            return Files.exists(written) ? Files.size(written) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> logSince(long offset) {
        try {
            byte[] all = Files.readAllBytes(writtenLog());
            int from = (int) Math.min(offset, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The file the server JVM really writes its log to. GlassFish 7.0.20's launcher has been seen (twice
     * in CI) to replace server.log after the server had opened it, leaving the server writing to the
     * unlinked file; Linux still reaches that one through the JVM's open descriptor, so the checks of
     * what the server logged read what it logged. The JVM is found by its command line, as for a
     * thread dump, and by the domain's pid file (the second time, the log checks failed with the pid
     * file alone); the descriptor's target is matched by the log's configured and canonical paths.
     * Elsewhere: the configured path.
     */
    private Path writtenLog() {
        // the two may be the same path: a set that takes duplicates
        Set<String> unlinked = new TreeSet<>(List.of(log.toAbsolutePath().normalize() + " (deleted)", canonical(log) + " (deleted)"));
        for (String pid : serverPids()) {
            Path fds = Path.of("/proc", pid, "fd");
            if (!Files.isDirectory(fds)) {
                continue;
            }
            try (var descriptors = Files.list(fds)) {
                for (Path fd : descriptors.toList()) {
                    try {
                        if (unlinked.contains(Files.readSymbolicLink(fd).toString())) {
                            return fd;
                        }
                    } catch (IOException e) {
                        // closed meanwhile
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or the server is gone
            }
        }
        return log;
    }

    /** The server JVM's pid, by its command line and by the domain's pid file (GlassFish, Payara), as far as known. */
    private Set<String> serverPids() {
        Set<String> pids = new java.util.LinkedHashSet<>();
        try {
            pids.add(Long.toString(pid()));
        } catch (AssertionError | RuntimeException e) {
            // not running, or not found by its command line
        }
        Path pidFile = home.resolve("glassfish/domains/domain1/config/pid");
        try {
            if (Files.isRegularFile(pidFile)) {
                pids.add(Files.readString(pidFile).strip());
            }
        } catch (IOException e) {
            // none
        }
        return pids;
    }

    /** Prints a measurement and keeps it in target/container-timings.txt. */
    void report(String what, long millis) {
        record("TIMING server=" + name + " " + what + "=" + millis + "ms");
    }

    /** Prints how a connection was closed, e.g. for an oversized message: servers differ in the reason. */
    void reportClose(String what, TestClient client) {
        int code = client.awaitCloseOrReset();
        record("CLOSE server=" + name + " " + what + ": " + code + " \"" + client.closeReason() + "\"");
    }

    private void record(String line) {
        System.out.println(line);
        try {
            Files.writeString(Path.of("target", "container-timings.txt"), line + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String canonical(Path path) {
        try {
            return path.toFile().getCanonicalPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run the container tests with mvn verify");
        }
        return value;
    }
}
