package io.quotecast.config;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code server.maxConnections} and where it came from. {@code auto} (the default) derives it from what the
 * process can really hold: its open-file limit minus a {@linkplain #reserve(long) reserve} for everything
 * else that needs a descriptor, and never more than the heap holds at {@value #HEAP_BYTES_PER_CONNECTION}
 * bytes a connection. A number is the operator's; one above the open-file budget gets a {@link #warning()}.
 *
 * @param maxConnections the limit in force
 * @param automatic      true when derived ({@code auto}), false when set by the operator
 * @param openFileLimit  the process's open-file (soft) limit at start; -1 where it cannot be read
 * @param heapLimit      connections the heap holds at the budget per connection
 */
public record ConnectionBudget(int maxConnections, boolean automatic, long openFileLimit, long heapLimit) {

    /** The setting's value that derives the limit. */
    public static final String AUTO = "auto";
    /**
     * Descriptors kept for what is not a client connection: the listener and its selectors, every jar of the
     * classpath (about 200 on a Maven classpath, measured: 211 open descriptors in a started node), logs, the
     * broker connection, the management port, and HTTP requests and handshakes in progress. At least this many...
     */
    public static final int MIN_RESERVE = 256;
    /** ...or this share of the limit, whichever is larger: headroom for handshakes scales with the node. */
    public static final int RESERVE_PERCENT = 10;
    /**
     * Heap per connection: about 18 KiB measured live per connection (docs/benchmarks.md) plus a busy outbox
     * now and then and the history buffers' share; 50 KiB keeps the old 20,000 for a 1 GiB heap.
     */
    public static final long HEAP_BYTES_PER_CONNECTION = 50 * 1024;

    public ConnectionBudget {
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("server.maxConnections must be > 0 (or auto)");
        }
    }

    /** Descriptors kept back from a limit of {@code openFiles}. */
    public static long reserve(long openFiles) {
        return Math.max(MIN_RESERVE, openFiles * RESERVE_PERCENT / 100);
    }

    /** The smallest open-file limit whose budget holds {@code connections}. */
    public static long openFilesFor(long connections) {
        long limit = connections + MIN_RESERVE;
        while (openFileBudget(limit) < connections) {
            limit++; // at most a tenth of connections steps, once, for a warning
        }
        return limit;
    }

    /** Connections the open-file limit leaves room for; -1 where the limit is unknown. */
    public static long openFileBudget(long openFiles) {
        return openFiles < 0 ? -1 : Math.max(0, openFiles - reserve(openFiles));
    }

    /** {@code auto}: the smaller of the open-file budget (where known) and the heap's, at least 1. */
    public static ConnectionBudget automatic(long openFiles, long maxHeapBytes) {
        long heap = heapLimit(maxHeapBytes);
        long files = openFileBudget(openFiles);
        long chosen = files < 0 ? heap : Math.min(files, heap);
        return new ConnectionBudget((int) Math.max(1, Math.min(Integer.MAX_VALUE, chosen)), true, openFiles, heap);
    }

    /** A number the operator set. */
    public static ConnectionBudget configured(int maxConnections, long openFiles, long maxHeapBytes) {
        return new ConnectionBudget(maxConnections, false, openFiles, heapLimit(maxHeapBytes));
    }

    /** Parses the setting: {@code auto} or a number, against this process's limits. */
    static ConnectionBudget fromSetting(String value) {
        long openFiles = processOpenFileLimit();
        long heap = Runtime.getRuntime().maxMemory();
        return value.equals(AUTO) ? automatic(openFiles, heap) : configured(Integer.parseInt(value), openFiles, heap);
    }

    private static long heapLimit(long maxHeapBytes) {
        return Math.max(1, maxHeapBytes / HEAP_BYTES_PER_CONNECTION);
    }

    /** The start-up log's account of the limit. */
    public String describe() {
        String files = openFileLimit < 0 ? "open-file limit unknown"
                : "open-file limit " + openFileLimit + " minus a reserve of " + reserve(openFileLimit) + " = " + openFileBudget(openFileLimit);
        return "server.maxConnections=" + maxConnections + (automatic
                ? " (auto: " + files + "; heap room for " + heapLimit + " at " + HEAP_BYTES_PER_CONNECTION / 1024 + " KiB each)"
                : " (set by the operator; " + files + ")");
    }

    /** A warning when the operator's number is more than the process can open: the kernel would refuse first. */
    public Optional<String> warning() {
        long files = openFileBudget(openFileLimit);
        if (automatic || files < 0 || maxConnections <= files) {
            return Optional.empty();
        }
        return Optional.of("server.maxConnections=" + maxConnections + " is more than this process can open: its open-file limit is "
                + openFileLimit + ", room for " + files + " connections after a reserve of " + reserve(openFileLimit)
                + ". Clients past that are refused by the kernel, not with 503. Raise the limit to at least "
                + openFilesFor(maxConnections)
                + " (ulimit -n in the shell that starts Java; LimitNOFILE= in a systemd unit; docker run --ulimit nofile=N:N)"
                + " or set server.maxConnections=auto");
    }

    /**
     * The process's soft open-file limit (the JVM raises it to the hard limit at start on Linux, so this is what it
     * has): from the JDK's Unix bean, else from {@code /proc/self/limits}; -1 where neither says.
     */
    public static long processOpenFileLimit() {
        try {
            OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                long limit = unix.getMaxFileDescriptorCount();
                if (limit > 0) {
                    return limit;
                }
            }
        } catch (LinkageError e) {
            // an application server that hides com.sun.management from deployments (WildFly): /proc below
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                    return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: unknown
        }
        return -1;
    }
}
