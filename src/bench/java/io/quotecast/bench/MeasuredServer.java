package io.quotecast.bench;

import io.quotecast.testing.AppServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under load in a JVM of its own, measured from outside through {@code /proc/<pid>} and
 * {@code jcmd}, so that its figures never include the load generator's: a ticker started by the
 * benchmark ({@link ServerProcess}) or an application server with a WAR deployed ({@link AppServer}).
 */
interface MeasuredServer extends AutoCloseable {

    /** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these. */
    double CLOCK_TICKS_PER_SECOND = 100.0;

    /** The JVM that runs the ticker. */
    long pid();

    int port();

    /** The stream's path, e.g. {@code /quotes} or {@code /quotecast/quotes} under a WAR's context root. */
    String path();

    @Override
    void close();

    /** An application server with a WAR deployed, measured as any other server. */
    static MeasuredServer of(AppServer server) {
        return new MeasuredServer() {
            @Override
            public long pid() {
                return server.pid();
            }

            @Override
            public int port() {
                return server.port();
            }

            @Override
            public String path() {
                return server.path();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    /** User + system CPU seconds of the server so far. */
    default double cpuSeconds() {
        return cpuSeconds(pid());
    }

    /** User and system (kernel) CPU seconds of the server so far. */
    default double[] userSystemSeconds() {
        return userSystemSeconds(pid());
    }

    /** Resident set size of the server, in MiB. */
    default double rssMiB() {
        return rssMiB(pid());
    }

    /**
     * The server's live heap in MiB: what is left after a full GC that this forces (with jcmd), so
     * a phase's growth in it is memory the server really holds on to, not garbage not yet collected.
     */
    default double liveHeapMiB() {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            Process gc = new ProcessBuilder(jcmd, Long.toString(pid()), "GC.run").redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            gc.waitFor(30, TimeUnit.SECONDS);
            Process info = new ProcessBuilder(jcmd, Long.toString(pid()), "GC.heap_info").redirectErrorStream(true).start();
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

    static double cpuSeconds(long pid) {
        double[] userSystem = userSystemSeconds(pid);
        return userSystem[0] + userSystem[1];
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

    /** The server's write system calls so far ({@code syscw} of {@code /proc/<pid>/io}): write, writev, sendmsg... */
    static long writeCalls(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
                if (line.startsWith("syscw:")) {
                    return Long.parseLong(line.substring("syscw:".length()).strip());
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
}
