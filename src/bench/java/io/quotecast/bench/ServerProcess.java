package io.quotecast.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in its own JVM, started from this JVM's classpath, so that its CPU time and
 * resident memory can be read from {@code /proc/<pid>} apart from the load generator's.
 */
final class ServerProcess implements MeasuredServer {

    private static final Pattern READY = Pattern.compile("ws://[^:/]+:(\\d+)/quotes");

    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code mainClass} with the given JVM options and waits for its "ws://host:port/quotes" line. */
    static ServerProcess start(String mainClass, List<String> jvmOptions, Path log) {
        return start(mainClass, jvmOptions, log, READY);
    }

    /** Starts {@code mainClass} and waits for a line matching {@code ready}, whose first group is the port. */
    static ServerProcess start(String mainClass, List<String> jvmOptions, Path log, Pattern ready) {
        return start(List.of("-cp", serverClassPath(), mainClass), jvmOptions, log, ready, null);
    }

    /**
     * This JVM's classpath without jboss-modules (on the test classpath for the WildFly and Undertow
     * tests): its {@code System.LoggerFinder} queues every {@code System.Logger} record until JBoss
     * Modules sets up logging, which a plain server never does, so the server's own log lines (each
     * connection closed, with its code and reason) were lost.
     */
    private static String serverClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("jboss-modules-"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /**
     * Starts another build's standalone server: {@code build/target/quotecast-standalone.jar}, run in
     * {@code build} as its working directory, so that an older commit reads its own files (the symbol
     * list) and its own defaults, under today's load generator.
     */
    static ServerProcess startBuild(Path build, List<String> jvmOptions, Path log) {
        Path jar = build.resolve("target").resolve("quotecast-standalone.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no " + jar + ": build it there with mvn -o -DskipTests package");
        }
        return start(List.of("-jar", jar.toString()), jvmOptions, log, READY, build.toFile());
    }

    private static ServerProcess start(List<String> launch, List<String> jvmOptions, Path log, Pattern ready,
                                       java.io.File directory) {
        String mainClass = launch.get(launch.size() - 1);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(launch);
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .directory(directory)
                    .redirectError(log.toAbsolutePath().toFile())
                    .start();
            CompletableFuture<Integer> started = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                Path outLog = log.resolveSibling(log.getFileName() + ".out");
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                     java.io.Writer copy = Files.newBufferedWriter(outLog, StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        // the server's own log lines (connections closed and why) beside its stderr
                        copy.write(line);
                        copy.write('\n');
                        Matcher matcher = ready.matcher(line);
                        if (!started.isDone() && matcher.find()) {
                            started.complete(Integer.parseInt(matcher.group(1)));
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
                started.completeExceptionally(new IllegalStateException(mainClass + " exited before it was ready; see " + log));
            }, "server-stdout");
            reader.setDaemon(true);
            reader.start();
            int port = started.get(60, TimeUnit.SECONDS);
            return new ServerProcess(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start " + mainClass, e);
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String path() {
        return "/quotes";
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
