package io.quotecast.testing;

import io.quotecast.server.Main;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Quotecast node in a JVM of its own, as an operator starts it ({@code java ... io.quotecast.server.Main}
 * with settings as system properties), on a free loopback port: a cluster's nodes each need their own
 * process, since one JVM runs one Quotecast. Its output goes to {@code target/cluster/<name>.log}.
 */
public final class NodeProcess implements StreamServer, AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TestClient.TIMEOUT).build();

    private final String name;
    private final Process process;
    private final int port;
    private final double ticksPerSecond;
    private final Path log;

    private NodeProcess(String name, Process process, int port, double ticksPerSecond, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.ticksPerSecond = ticksPerSecond;
        this.log = log;
    }

    /** Starts a node with these settings (name, value pairs) and waits for its start banner. */
    public static NodeProcess start(String name, String... settings) {
        return start(List.of(), name, settings);
    }

    /**
     * Starts a node whose process may open at most {@code openFiles} files (soft and hard limit), as
     * {@code ulimit -n} or systemd's {@code LimitNOFILE} would start it: through util-linux's {@code prlimit}.
     */
    public static NodeProcess withOpenFileLimit(int openFiles, String name, String... settings) {
        return start(List.of("prlimit", "--nofile=" + openFiles + ":" + openFiles), name, settings);
    }

    private static NodeProcess start(List<String> prefix, String name, String... settings) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // small and quick to start: a test cluster is several of these on two cores
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dserver.host=127.0.0.1", "-Dserver.port=0"));
        double ticksPerSecond = 50;
        for (int i = 0; i < settings.length; i += 2) {
            command.add("-D" + settings[i] + "=" + settings[i + 1]);
            if (settings[i].equals("feed.ticksPerSecond")) {
                ticksPerSecond = Double.parseDouble(settings[i + 1]);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        Path log = Path.of("target", "cluster", name + ".log");
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<Integer> ready = new CompletableFuture<>();
            Thread reader = new Thread(() -> copyOutput(process, log, ready), "node-" + name + "-output");
            reader.setDaemon(true);
            reader.start();
            try {
                int port = ready.get(60, TimeUnit.SECONDS);
                return new NodeProcess(name, process, port, ticksPerSecond, log);
            } catch (Exception e) {
                process.destroyForcibly();
                throw new AssertionError("node " + name + " did not start; its output:\n" + Files.readString(log), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the node's output to its log, completing {@code ready} with the port of its banner (or failing when it exits first). */
    private static void copyOutput(Process process, Path log, CompletableFuture<Integer> ready) {
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             var out = Files.newBufferedWriter(log)) {
            String line;
            while ((line = output.readLine()) != null) {
                out.write(line);
                out.newLine();
                out.flush();
                if (!ready.isDone() && line.contains(StartBanner.PREFIX)) {
                    ready.complete(StartBanner.port(line));
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
        // the output ended: the process is exiting (its exit value may not be there yet)
        ready.completeExceptionally(new IllegalStateException("the node exited before its start banner"));
    }

    /** A port nothing listens on now, for a broker a test starts (the broker binds it itself right after). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** The node's process id (prlimit execs java, so it is the JVM's). */
    public long pid() {
        return process.pid();
    }

    /** What the node has written to its output (both streams) so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public URI stream(String query) {
        return URI.create("ws://127.0.0.1:" + port + "/quotes" + query);
    }

    @Override
    public URI page(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public double ticksPerSecond() {
        return ticksPerSecond;
    }

    /** What {@code /health} answers now. */
    public JsonObject health() {
        return Json.createReader(new StringReader(get("/health"))).readObject();
    }

    /** The text of a page, e.g. {@code /metrics}. */
    public String get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(page(path)).timeout(TestClient.TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Stops the node as an operator does (SIGTERM): its clients get 1001. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "node " + name + " on port " + port + " (log " + log + ")";
    }
}
