package io.quotecast.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An application server, as the build unpacked it into {@code target/servers}, started with one WAR
 * deployed and Quotecast's settings as the server JVM's system properties, then stopped: a benchmark
 * phase, or a test that needs settings the Arquillian runs do not have (a subscribing WAR). Each gets
 * a domain or base directory of its own (under {@code work}), so the Arquillian runs' server
 * configuration is never touched, and ports that are free now.
 */
public abstract class AppServer implements AutoCloseable {

    final Path home;
    final Path work;
    final String contextRoot;
    final Path log;

    AppServer(Path home, Path work, String contextRoot) {
        this.home = home;
        this.work = work;
        this.contextRoot = contextRoot;
        this.log = work.resolve("server-console.log");
    }

    /** The stream's path under the WAR's context root, e.g. {@code /quotecast/quotes}. */
    public String path() {
        return "/" + contextRoot + "/quotes";
    }

    /** The stream URL with a query, e.g. {@code "?symbols=ACME"}. */
    public URI stream(String query) {
        return URI.create("ws://127.0.0.1:" + port() + path() + query);
    }

    /** A URL of the WAR's HTTP side, e.g. {@code "/health"}. */
    public URI page(String path) {
        return URI.create("http://127.0.0.1:" + port() + "/" + contextRoot + path);
    }

    /** The server's JVM. */
    public abstract long pid();

    /** Its HTTP port. */
    public abstract int port();

    /** Where its console output goes. */
    public Path log() {
        return log;
    }

    @Override
    public abstract void close();

    /** GlassFish 7: a fresh domain in {@code work} with its default settings (512 MiB heap), every port from a free base. */
    public static AppServer glassFish(Path home, Path work, Path war, String contextRoot, Map<String, String> properties) {
        return started(new GlassFish(home, work.toAbsolutePath(), contextRoot), war, properties);
    }

    /** WildFly: the default standalone configuration in {@code work}, every port moved by a free offset. */
    public static AppServer wildFly(Path home, Path work, Path war, String contextRoot, Map<String, String> properties) {
        return wildFly(home, work, war, contextRoot, properties, Map.of());
    }

    /**
     * WildFly as above, its default HTTP listener given {@code listenerAttributes} as well (such as
     * {@code write-timeout}), written into its configuration as an operator would with jboss-cli.
     */
    public static AppServer wildFly(Path home, Path work, Path war, String contextRoot, Map<String, String> properties,
                                    Map<String, String> listenerAttributes) {
        return started(new WildFly(home, work.toAbsolutePath(), contextRoot, listenerAttributes), war, properties);
    }

    /** A server that fails to start or deploy is stopped, not left running to take the next one's files. */
    private static AppServer started(AppServer server, Path war, Map<String, String> properties) {
        try {
            server.start(war, properties);
            return server;
        } catch (RuntimeException e) {
            try {
                server.close();
            } catch (RuntimeException stopping) {
                e.addSuppressed(stopping);
            }
            throw e;
        }
    }

    abstract void start(Path war, Map<String, String> properties);

    static void run(Path log, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // asadmin gives a starting domain 60 s by default, too few on two loaded cores (ms)
            builder.environment().put("AS_START_TIMEOUT", "240000");
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("0.0.0.0", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A base from which every one of {@code offsets} is a free port now. */
    static int freeBase(int from, int to, int... offsets) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(from, to) / 100 * 100;
            boolean all = true;
            for (int offset : offsets) {
                all &= free(base + offset);
            }
            if (all) {
                return base;
            }
        }
        throw new IllegalStateException("no free port range found");
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class GlassFish extends AppServer {

        private int adminPort;
        private int httpPort;

        GlassFish(Path home, Path work, String contextRoot) {
            super(home, work, contextRoot);
        }

        private String asadmin() {
            return home.resolve("bin/asadmin").toString();
        }

        @Override
        void start(Path war, Map<String, String> properties) {
            deleteTree(work);
            try {
                Files.createDirectories(work);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // --portbase: admin +48, http +80, https +81, iiop +37..39, jms +76, jmx +86, osgi +66, debug +9
            int base = freeBase(20_000, 40_000, 9, 37, 38, 39, 48, 66, 76, 80, 81, 86);
            adminPort = base + 48;
            httpPort = base + 80;
            run(log, asadmin(), "create-domain", "--domaindir", work.toString(), "--portbase", Integer.toString(base),
                    "--nopassword=true", "--checkports=false", "bench");
            Path domainXml = work.resolve("bench/config/domain.xml");
            try {
                String xml = Files.readString(domainXml);
                StringBuilder options = new StringBuilder();
                properties.forEach((name, value) -> options.append("<jvm-options>-D").append(name).append('=').append(value).append("</jvm-options>\n"));
                // the first java-config is the server's (server-config); the second is the template default-config
                int at = xml.indexOf("<jvm-options>", xml.indexOf("<java-config"));
                Files.writeString(domainXml, xml.substring(0, at) + options + xml.substring(at));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            run(log, asadmin(), "start-domain", "--domaindir", work.toString(), "bench");
            run(log, asadmin(), "--port", Integer.toString(adminPort), "deploy", "--contextroot", contextRoot,
                    "--name", contextRoot, war.toAbsolutePath().toString());
        }

        @Override
        public long pid() {
            try {
                return Long.parseLong(Files.readString(work.resolve("bench/config/pid")).strip());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public int port() {
            return httpPort;
        }

        @Override
        public void close() {
            run(log, asadmin(), "stop-domain", "--domaindir", work.toString(), "bench");
        }
    }

    static final class WildFly extends AppServer {

        private static final String LISTENER = "<http-listener name=\"default\"";

        private final Map<String, String> listenerAttributes;
        private Process script;
        private long pid;
        private int offset;

        WildFly(Path home, Path work, String contextRoot, Map<String, String> listenerAttributes) {
            super(home, work, contextRoot);
            this.listenerAttributes = listenerAttributes;
        }

        @Override
        void start(Path war, Map<String, String> properties) {
            deleteTree(work);
            try {
                Path configuration = Files.createDirectories(work.resolve("configuration"));
                try (Stream<Path> files = Files.list(home.resolve("standalone/configuration"))) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        Files.copy(file, configuration.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
                if (!listenerAttributes.isEmpty()) {
                    Path standalone = configuration.resolve("standalone.xml");
                    String xml = Files.readString(standalone);
                    if (!xml.contains(LISTENER)) {
                        throw new IllegalStateException("no default HTTP listener in " + standalone);
                    }
                    StringBuilder listener = new StringBuilder(LISTENER);
                    listenerAttributes.forEach((name, value) -> listener.append(' ').append(name).append("=\"").append(value).append('"'));
                    Files.writeString(standalone, xml.replace(LISTENER, listener));
                }
                Path deployments = Files.createDirectories(work.resolve("deployments"));
                Files.copy(war, deployments.resolve(contextRoot + ".war"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // http 8080, https 8443, management 9990 and 9993, ajp 8009, transactions 4712 and 4713, each plus the offset
            offset = freeBase(20_000, 40_000, 4712, 4713, 8009, 8080, 8443, 9990, 9993);
            List<String> command = new ArrayList<>(List.of(home.resolve("bin/standalone.sh").toString(),
                    "-Djboss.server.base.dir=" + work, "-Djboss.socket.binding.port-offset=" + offset,
                    "-Djboss.bind.address=127.0.0.1", "-Djboss.bind.address.management=127.0.0.1"));
            properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                builder.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
                script = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path deployed = work.resolve("deployments/" + contextRoot + ".war.deployed");
            Path failed = work.resolve("deployments/" + contextRoot + ".war.failed");
            Eventually.await("WildFly deploying " + war, () -> {
                if (Files.exists(failed) || !script.isAlive()) {
                    throw new IllegalStateException("WildFly did not deploy " + war + "; see " + log);
                }
                return Files.exists(deployed);
            }, Duration.ofSeconds(180));
            pid = script.descendants().filter(p -> p.info().command().orElse("").endsWith("java"))
                    .mapToLong(ProcessHandle::pid).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no WildFly JVM under " + script.pid()));
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public int port() {
            return offset + 8080;
        }

        @Override
        public void close() {
            if (script == null) {
                return;
            }
            script.descendants().forEach(ProcessHandle::destroy);
            try {
                if (!script.waitFor(60, TimeUnit.SECONDS)) {
                    script.descendants().forEach(ProcessHandle::destroyForcibly);
                    script.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
