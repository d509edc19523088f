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
final class ServerProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("ws://[^:/]+:(\\d+)/quotes");
    /** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these. */
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

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
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .redirectError(log.toFile())
                    .start();
            CompletableFuture<Integer> started = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
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

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** User + system CPU seconds the server process has used so far. */
    double cpuSeconds() {
        return cpuSeconds(process.pid());
    }

    static double cpuSeconds(long pid) {
        double[] userSystem = userSystemSeconds(pid);
        return userSystem[0] + userSystem[1];
    }

    /** User and system (kernel) CPU seconds of the server process so far. */
    double[] userSystemSeconds() {
        return userSystemSeconds(process.pid());
    }

    static double[] userSystemSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime field 15
            return new double[] {Long.parseLong(fields[11]) / CLOCK_TICKS_PER_SECOND, Long.parseLong(fields[12]) / CLOCK_TICKS_PER_SECOND};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The server's live heap in MiB: what is left after a full GC that this forces (with jcmd), so
     * a phase's growth in it is memory the server really holds on to, not garbage not yet collected.
     */
    double liveHeapMiB() {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            Process gc = new ProcessBuilder(jcmd, Long.toString(process.pid()), "GC.run").redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            gc.waitFor(30, TimeUnit.SECONDS);
            Process info = new ProcessBuilder(jcmd, Long.toString(process.pid()), "GC.heap_info").redirectErrorStream(true).start();
            String text = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            info.waitFor(30, TimeUnit.SECONDS);
            Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(text);
            return used.find() ? Long.parseLong(used.group(1)) / 1024.0 : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** Resident set size of the server process, in MiB. */
    double rssMiB() {
        return rssMiB(process.pid());
    }

    static double rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
            return Double.NaN;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
