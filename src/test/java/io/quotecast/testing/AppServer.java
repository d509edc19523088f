package io.quotecast.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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

    /** Where it logs what it and its applications log (for most: where its console output goes). */
    public Path log() {
        return log;
    }

    /** Where it is installed. */
    public Path home() {
        return home;
    }

    /**
     * Deploys {@code war} under this server's context root, and returns once the context answers (bounded).
     * Only the servers started by {@link #tomcat}, {@link #jetty}, {@link #liberty} and {@link #payara}.
     */
    public void deploy(Path war) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " deploys its WAR at start only");
    }

    /** Undeploys the WAR deployed by {@link #deploy}, and returns once its context is gone (bounded). */
    public void undeploy() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not undeploy");
    }

    /**
     * Sets ({@code value} null: removes) a system property of the server JVM as an operator of this
     * server would; the application reads it at its next deploy. Servers without an administration
     * tool restart their JVM with it (their WAR, if any, redeploys at that start).
     */
    public void systemProperty(String name, String value) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " takes its system properties at start only");
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

    /**
     * Tomcat (10.1 or 11): a {@code CATALINA_BASE} of its own in {@code work} (the distribution's conf, an
     * empty webapps), started by {@code catalina.sh run} with the properties in {@code bin/setenv.sh};
     * WARs are dropped into webapps/, checked every second. {@code war} null: started with none.
     */
    public static AppServer tomcat(Path home, Path work, Path war, String contextRoot, Map<String, String> properties) {
        return tomcat(home, work, 0, war, contextRoot, properties);
    }

    /** Tomcat as above on {@code httpPort} (0: a free one). */
    public static AppServer tomcat(Path home, Path work, int httpPort, Path war, String contextRoot,
                                   Map<String, String> properties) {
        return started(new Tomcat(home.toAbsolutePath(), work.toAbsolutePath(), contextRoot, httpPort), war, properties);
    }

    /**
     * Jetty 12 (ee10): a jetty base of its own in {@code work} with the modules a WAR with annotations and
     * Jakarta WebSocket needs, started by {@code start.jar} in one JVM whose system properties are the
     * given ones; WARs are dropped into webapps/, scanned every second. {@code war} null: started with none.
     */
    public static AppServer jetty(Path home, Path work, Path war, String contextRoot, Map<String, String> properties) {
        return jetty(home, work, 0, war, contextRoot, properties);
    }

    /** Jetty as above on {@code httpPort} (0: a free one). */
    public static AppServer jetty(Path home, Path work, int httpPort, Path war, String contextRoot,
                                  Map<String, String> properties) {
        return started(new Jetty(home.toAbsolutePath(), work.toAbsolutePath(), contextRoot, httpPort), war, properties);
    }

    /**
     * Open Liberty: a user directory of its own in {@code work} with one server whose features are
     * servlet-6.0, websocket-2.1 and jsonp-2.1 only, its system properties in jvm.options, started by
     * {@code server run}; WARs are dropped into dropins/, polled twice a second. {@code war} null: none.
     */
    public static AppServer liberty(Path home, Path work, Path war, String contextRoot, Map<String, String> properties) {
        return liberty(home, work, 0, war, contextRoot, properties);
    }

    /** Liberty as above on {@code httpPort} (0: a free one). */
    public static AppServer liberty(Path home, Path work, int httpPort, Path war, String contextRoot,
                                    Map<String, String> properties) {
        return started(new Liberty(home.toAbsolutePath(), work.toAbsolutePath(), contextRoot, httpPort), war, properties);
    }

    /**
     * Payara 6: a fresh domain in {@code work} (as {@link #glassFish}), every port a free one, the system
     * properties as jvm-options; WARs deployed and undeployed with asadmin. {@code war} null: none.
     */
    public static AppServer payara(Path home, Path work, Path war, String contextRoot, Map<String, String> properties) {
        return payara(home, work, 0, 0, war, contextRoot, properties);
    }

    /** Payara as above on {@code httpPort} and {@code adminPort} (0: free ones). */
    public static AppServer payara(Path home, Path work, int httpPort, int adminPort, Path war, String contextRoot,
                                   Map<String, String> properties) {
        return started(new Payara(home.toAbsolutePath(), work.toAbsolutePath(), contextRoot, httpPort, adminPort), war,
                properties);
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

    /** A port free now (the kernel's pick). */
    /**
     * A port free now, not in {@code taken} (then added to it), and below the kernel's range of
     * ephemeral source ports, so that no outgoing connection takes it before a server binds it.
     */
    static int listenerPort(java.util.Set<Integer> taken) {
        int below = 32768; // Linux's default ephemeral range starts here (net.ipv4.ip_local_port_range)
        java.util.SplittableRandom random = new java.util.SplittableRandom();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = random.nextInt(10_000, Math.max(10_001, below));
            if (taken.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                taken.add(port);
                return socket.getLocalPort();
            } catch (IOException inUse) {
                // another one
            }
        }
        throw new IllegalStateException("no free port below " + below);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** The status of a GET, or -1 when nothing answers. */
    static int status(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last lines of a log, for a failure's message. */
    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.exists(file) ? Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1) : List.of();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A value that goes unquoted into a start script or an options file. */
    static String plain(String name, String value) {
        if (!Pattern.matches("[A-Za-z0-9._-]+", name) || !Pattern.matches("[^\\s\"'\\\\$`]*", value)) {
            throw new IllegalArgumentException("not a plain system property: " + name + "=" + value);
        }
        return "-D" + name + "=" + value;
    }

    /**
     * A server whose JVM this class starts and stops itself, with WARs deployed by dropping them into
     * a directory it watches (Tomcat, Jetty, Liberty). Its system properties live in one place, written
     * by {@link #writeProperties} before each start: changing one restarts the JVM.
     */
    abstract static class DropIn extends AppServer {

        /** Bounds: a cold server on two loaded cores. */
        static final Duration STARTED_WITHIN = Duration.ofSeconds(180);
        static final Duration DEPLOYED_WITHIN = Duration.ofSeconds(120);
        static final Duration STOPPED_WITHIN = Duration.ofSeconds(60);
        static final Duration SLOW_STOP = Duration.ofSeconds(10);

        final int httpPort;
        final Map<String, String> properties = new LinkedHashMap<>();
        private Process process;

        DropIn(Path home, Path work, String contextRoot, int httpPort) {
            super(home, work, contextRoot);
            this.httpPort = httpPort == 0 ? freePort() : httpPort;
        }

        /** Lays out the base directory (once, before the first start). */
        abstract void prepare();

        /** Where a WAR is dropped to be deployed. */
        abstract Path dropins();

        /** Writes {@link #properties} where the server's start reads them (nothing when they go on {@link #command}). */
        abstract void writeProperties();

        /** The command that runs the server JVM in the foreground. */
        abstract List<String> command();

        /** -Xmx512m: a lean server; the tests' load fits in it. */
        static final String HEAP = "-Xmx512m";

        @Override
        void start(Path war, Map<String, String> initial) {
            deleteTree(work);
            try {
                Files.createDirectories(work);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            properties.putAll(initial);
            prepare();
            startJvm();
            if (war != null) {
                deploy(war);
            }
        }

        void startJvm() {
            writeProperties();
            try {
                ProcessBuilder builder = new ProcessBuilder(command()).directory(work.toFile()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
                environment(builder.environment());
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Process started = process;
            try {
                Eventually.await(getClass().getSimpleName() + " answering on port " + httpPort, () -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException(getClass().getSimpleName() + " exited with " + started.exitValue()
                                + "; see " + log + ":\n" + tail(log, 40));
                    }
                    return status(URI.create("http://127.0.0.1:" + httpPort + "/")) > 0;
                }, STARTED_WITHIN);
            } catch (AssertionError e) {
                throw new IllegalStateException(e.getMessage() + "; see " + log + ":\n" + tail(log, 40), e);
            }
        }

        void environment(Map<String, String> environment) {
        }

        void stopJvm() {
            if (process == null) {
                return;
            }
            Process stopping = process;
            process = null;
            long since = System.nanoTime();
            List<ProcessHandle> children = stopping.descendants().toList();
            stopping.destroy(); // SIGTERM: the server's shutdown hook stops it in order
            children.forEach(ProcessHandle::destroy);
            Path dump = null;
            try {
                if (!stopping.waitFor(SLOW_STOP.toSeconds(), TimeUnit.SECONDS)) {
                    dump = dumpThreads(stopping, children);
                }
                if (!stopping.waitFor(STOPPED_WITHIN.minus(SLOW_STOP).toSeconds(), TimeUnit.SECONDS)) {
                    stopping.destroyForcibly();
                    stopping.waitFor(STOPPED_WITHIN.toSeconds(), TimeUnit.SECONDS);
                }
                for (ProcessHandle child : children) {
                    child.onExit().get(STOPPED_WITHIN.toSeconds(), TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                children.forEach(ProcessHandle::destroyForcibly);
            }
            // A stop this slow is the server waiting for something of ours (Liberty quiesces for 30 s): say so, so
            // that a slow check can be traced to its stop and the server's log read for what it waited on.
            long took = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since);
            if (took >= SLOW_STOP.toSeconds()) {
                System.out.println("SLOW STOP server=" + getClass().getSimpleName() + " seconds=" + took + " log=" + log
                        + " threads=" + dump);
            }
        }

        /**
         * The threads of every JVM of a server that is slow to stop, to a file beside its base directory
         * (which the next start clears): what it waits for is in there.
         */
        private Path dumpThreads(Process stopping, List<ProcessHandle> children) {
            Path dump = work.resolveSibling(work.getFileName() + "-slow-stop-" + System.currentTimeMillis() + ".txt");
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            List<ProcessHandle> jvms = new ArrayList<>(children);
            jvms.add(stopping.toHandle());
            for (ProcessHandle jvm : jvms) {
                if (jvm.isAlive() && jvm.info().command().orElse("").endsWith("java")) {
                    try {
                        Process print = new ProcessBuilder(jcmd, Long.toString(jvm.pid()), "Thread.print", "-l")
                                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dump.toFile())).start();
                        print.waitFor(30, TimeUnit.SECONDS);
                    } catch (IOException e) {
                        return null;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }
            }
            return dump;
        }

        /** The WAR is staged beside the directory, then moved in at once: the server never sees half a file. */
        @Override
        public void deploy(Path war) {
            Path staged = work.resolve("staging").resolve(contextRoot + ".war");
            try {
                Files.createDirectories(staged.getParent());
                Files.copy(war, staged, StandardCopyOption.REPLACE_EXISTING);
                Files.createDirectories(dropins());
                Files.move(staged, dropins().resolve(contextRoot + ".war"), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            awaitContext(true);
        }

        @Override
        public void undeploy() {
            try {
                Files.deleteIfExists(dropins().resolve(contextRoot + ".war"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            awaitContext(false);
        }

        /**
         * Until the context answers (any status but 404 and 503: the application's own checks look
         * closer), or until it no longer does (404).
         */
        void awaitContext(boolean deployed) {
            URI uri = URI.create("http://127.0.0.1:" + httpPort + "/" + contextRoot + "/");
            try {
                Eventually.await(uri + (deployed ? " deployed" : " undeployed"), () -> {
                    if (process == null || !process.isAlive()) {
                        throw new IllegalStateException(getClass().getSimpleName() + " is not running; see " + log);
                    }
                    int status = status(uri);
                    return deployed ? status > 0 && status != 404 && status != 503 : status == 404;
                }, DEPLOYED_WITHIN);
            } catch (AssertionError e) {
                throw new IllegalStateException(e.getMessage() + "; see " + log() + ":\n" + tail(log(), 40), e);
            }
        }

        @Override
        public void systemProperty(String name, String value) {
            if (value == null) {
                properties.remove(name);
            } else {
                properties.put(name, value);
            }
            stopJvm();
            startJvm();
        }

        /** The server JVM: the started process itself, or the java process it runs. */
        @Override
        public long pid() {
            if (process == null) {
                throw new IllegalStateException(getClass().getSimpleName() + " is not running");
            }
            if (process.info().command().orElse("").endsWith("/java")) {
                return process.pid();
            }
            return process.descendants().filter(p -> p.info().command().orElse("").endsWith("/java"))
                    .mapToLong(ProcessHandle::pid).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no JVM under " + process.pid()));
        }

        @Override
        public int port() {
            return httpPort;
        }

        @Override
        public void close() {
            stopJvm();
        }
    }

    static final class Tomcat extends DropIn {

        Tomcat(Path home, Path work, String contextRoot, int httpPort) {
            super(home, work, contextRoot, httpPort);
        }

        @Override
        void prepare() {
            copyTree(home.resolve("conf"), work.resolve("conf"));
            for (String dir : List.of("webapps", "logs", "temp", "work", "bin")) {
                try {
                    Files.createDirectories(work.resolve(dir));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            Path serverXml = work.resolve("conf/server.xml");
            try {
                String xml = Files.readString(serverXml);
                String edited = xml
                        // no shutdown port: the JVM is stopped by a signal, its shutdown hook stops Tomcat
                        .replaceFirst("<Server port=\"8005\"", "<Server port=\"-1\"")
                        .replaceFirst("<Connector port=\"8080\"", "<Connector address=\"127.0.0.1\" port=\"" + httpPort + "\"")
                        // the host checks webapps/ for added and removed WARs every second (default 10 s)
                        // (the distribution's Engine, not the commented-out example before it)
                        .replace("<Engine name=\"Catalina\" defaultHost=\"localhost\">",
                                "<Engine name=\"Catalina\" defaultHost=\"localhost\" backgroundProcessorDelay=\"1\">");
                for (String expected : List.of("port=\"-1\"", "port=\"" + httpPort + "\"",
                        "defaultHost=\"localhost\" backgroundProcessorDelay=\"1\"")) {
                    if (!edited.contains(expected)) {
                        throw new IllegalStateException(serverXml + " is not the distribution's: no " + expected);
                    }
                }
                Files.writeString(serverXml, edited);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        Path dropins() {
            return work.resolve("webapps");
        }

        /** bin/setenv.sh in CATALINA_BASE: where an operator gives Tomcat's JVM its options. */
        @Override
        void writeProperties() {
            StringBuilder options = new StringBuilder(HEAP);
            properties.forEach((name, value) -> options.append(' ').append(plain(name, value)));
            write(work.resolve("bin/setenv.sh"), "CATALINA_OPTS=\"" + options + "\"\n");
        }

        @Override
        void environment(Map<String, String> environment) {
            environment.put("CATALINA_HOME", home.toString());
            environment.put("CATALINA_BASE", work.toString());
            environment.remove("CATALINA_OPTS");
            environment.remove("JAVA_OPTS");
        }

        /** {@code catalina.sh run} execs the JVM: the process started is the server's. */
        @Override
        List<String> command() {
            return List.of("/bin/sh", home.resolve("bin/catalina.sh").toString(), "run");
        }
    }

    static final class Jetty extends DropIn {

        /** The least a WAR with @WebListener, @WebFilter, @WebServlet and Jakarta WebSocket endpoints needs. */
        static final String MODULES = "http,ee10-deploy,ee10-annotations,ee10-websocket-jakarta";

        Jetty(Path home, Path work, String contextRoot, int httpPort) {
            super(home, work, contextRoot, httpPort);
        }

        private String java() {
            return Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }

        @Override
        void prepare() {
            try {
                Files.createDirectories(work.resolve("webapps"));
                // where Jetty unpacks each WAR (else java.io.tmpdir)
                Files.createDirectories(work.resolve("work"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            run(log, java(), "-jar", home.resolve("start.jar").toString(), "jetty.home=" + home, "jetty.base=" + work,
                    "--add-modules=" + MODULES);
        }

        @Override
        Path dropins() {
            return work.resolve("webapps");
        }

        /** On the command line: start.jar runs the server in its own JVM, which has them. */
        @Override
        void writeProperties() {
        }

        @Override
        List<String> command() {
            List<String> command = new ArrayList<>(List.of(java(), HEAP));
            properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
            command.addAll(List.of("-jar", home.resolve("start.jar").toString(), "jetty.home=" + home, "jetty.base=" + work,
                    "jetty.http.host=127.0.0.1", "jetty.http.port=" + httpPort, "jetty.deploy.scanInterval=1"));
            return command;
        }
    }

    static final class Liberty extends DropIn {

        static final String SERVER = "quotecast";

        Liberty(Path home, Path work, String contextRoot, int httpPort) {
            super(home, work, contextRoot, httpPort);
        }

        private Path server() {
            return work.resolve("servers").resolve(SERVER);
        }

        @Override
        void prepare() {
            write(server().resolve("server.xml"), """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <server description="Quotecast on the smallest documented feature set">
                        <featureManager>
                            <feature>servlet-6.0</feature>
                            <feature>websocket-2.1</feature>
                            <feature>jsonp-2.1</feature>
                        </featureManager>
                        <!-- HTTP/1.1 only (Liberty's documented switch): Liberty takes the h2c upgrade that the
                             JDK's HTTP client offers on a plain GET, and that request then stays in progress
                             inside the WAR's filters, so undeploy waited 60 s for it before it stopped them. -->
                        <httpEndpoint id="defaultHttpEndpoint" host="127.0.0.1" httpPort="${http.port}" httpsPort="-1"
                                      protocolVersion="http/1.1"/>
                        <applicationMonitor updateTrigger="polled" pollingRate="500ms" dropinsEnabled="true"/>
                        <!-- Expanded, not read in place: an application stopping after its archive left dropins/
                             would no longer load the classes it had not loaded yet (CWWKL0002E). -->
                        <applicationManager autoExpand="true"/>
                        <!-- Every log of a run kept (Liberty keeps two files of 20 MB by default): a slow check's
                             server side was rotated away before anyone could read it. -->
                        <logging maxFiles="20" maxFileSize="50"/>
                    </server>
                    """);
            write(server().resolve("bootstrap.properties"), "http.port=" + httpPort + "\n");
            try {
                Files.createDirectories(dropins());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        Path dropins() {
            return server().resolve("dropins");
        }

        /** messages.log: where Liberty writes what applications log (its console shows AUDIT and above). */
        @Override
        public Path log() {
            return server().resolve("logs/messages.log");
        }

        /** jvm.options in the server directory: where an operator gives Liberty's JVM its options. */
        @Override
        void writeProperties() {
            StringBuilder options = new StringBuilder(HEAP).append('\n');
            properties.forEach((name, value) -> options.append(plain(name, value)).append('\n'));
            write(server().resolve("jvm.options"), options.toString());
        }

        @Override
        void environment(Map<String, String> environment) {
            environment.put("WLP_USER_DIR", work.toString());
            environment.remove("JVM_ARGS");
            environment.remove("WLP_OUTPUT_DIR");
        }

        @Override
        List<String> command() {
            return List.of("/bin/sh", home.resolve("bin/server").toString(), "run", SERVER);
        }
    }

    /** Payara 6: GlassFish's administration, so a domain of its own, asadmin for the rest. */
    static final class Payara extends AppServer {

        static final String DOMAIN = "quotecast";

        private final int httpPort;
        private final int adminPort;

        Payara(Path home, Path work, String contextRoot, int httpPort, int adminPort) {
            super(home, work, contextRoot);
            this.httpPort = httpPort == 0 ? freePort() : httpPort;
            this.adminPort = adminPort == 0 ? freePort() : adminPort;
        }

        private String asadmin() {
            return home.resolve("bin/asadmin").toString();
        }

        @Override
        public Path log() {
            return work.resolve(DOMAIN + "/logs/server.log");
        }

        @Override
        void start(Path war, Map<String, String> properties) {
            deleteTree(work);
            try {
                Files.createDirectories(work);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // every other port a free one too: HTTPS, IIOP (three), JMS, JMX, the OSGi shell, the debugger.
            // Below the ephemeral range: asadmin polls the starting domain over new connections, and one
            // whose source port was a listener's port not yet bound failed the start ("Address already in use").
            java.util.Set<Integer> taken = new java.util.HashSet<>(List.of(adminPort, httpPort));
            String ports = String.join(":", "http.ssl.port=" + listenerPort(taken), "orb.listener.port=" + listenerPort(taken),
                    "orb.ssl.port=" + listenerPort(taken), "orb.mutualauth.port=" + listenerPort(taken), "jms.port=" + listenerPort(taken),
                    "domain.jmxPort=" + listenerPort(taken), "osgi.shell.telnet.port=" + listenerPort(taken),
                    "java.debugger.port=" + listenerPort(taken));
            run(log, asadmin(), "create-domain", "--domaindir", work.toString(), "--adminport", Integer.toString(adminPort),
                    "--instanceport", Integer.toString(httpPort), "--domainproperties", ports,
                    "--nopassword=true", "--checkports=false", DOMAIN);
            Path domainXml = work.resolve(DOMAIN + "/config/domain.xml");
            try {
                String xml = Files.readString(domainXml);
                StringBuilder options = new StringBuilder();
                properties.forEach((name, value) -> options.append("<jvm-options>").append(plain(name, value)).append("</jvm-options>\n"));
                int at = xml.indexOf("<jvm-options>", xml.indexOf("<java-config"));
                xml = xml.substring(0, at) + options + xml.substring(at);
                // the data grid (Hazelcast) listens from a start port up, and the DAS on one of its own: free ones
                xml = xml.replaceFirst("(<hazelcast-runtime-configuration start-port=)\"[0-9]+\"", "$1\"" + listenerPort(taken) + "\"")
                        .replaceFirst("(<hazelcast-runtime-configuration [^>]*das-port=)\"[0-9]+\"", "$1\"" + listenerPort(taken) + "\"");
                Files.writeString(domainXml, xml);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            run(log, asadmin(), "start-domain", "--domaindir", work.toString(), DOMAIN);
            if (war != null) {
                deploy(war);
            }
        }

        @Override
        public void deploy(Path war) {
            run(log, asadmin(), "--port", Integer.toString(adminPort), "deploy", "--contextroot", contextRoot,
                    "--name", contextRoot, war.toAbsolutePath().toString());
        }

        @Override
        public void undeploy() {
            run(log, asadmin(), "--port", Integer.toString(adminPort), "undeploy", contextRoot);
        }

        /** asadmin create-system-properties: set in the running JVM at once, read by the next deploy. */
        @Override
        public void systemProperty(String name, String value) {
            if (value == null) {
                run(log, asadmin(), "--port", Integer.toString(adminPort), "delete-system-property", name);
            } else {
                run(log, asadmin(), "--port", Integer.toString(adminPort), "create-system-properties", name + "=" + value);
            }
        }

        @Override
        public long pid() {
            try {
                return Long.parseLong(Files.readString(work.resolve(DOMAIN + "/config/pid")).strip());
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
            if (Files.exists(work.resolve(DOMAIN + "/config/domain.xml"))) {
                run(log, asadmin(), "stop-domain", "--domaindir", work.toString(), DOMAIN);
            }
        }
    }
}
