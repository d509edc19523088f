package io.quotecast.bench;

import io.quotecast.testing.EdgeClient;
import io.quotecast.testing.NodeProcess;
import io.quotecast.testing.ProcessCpu;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Two attacks on the edge of a standalone node at its defaults, each in a JVM of its own: (1) the node
 * started with a low open-file limit ({@code prlimit}), more connections attempted than it can open, then
 * knocked on while full: opened, refused, timed out, the node's CPU while full, a newcomer after 200 leave;
 * (2) raw sockets that send the start of a handshake and then a header byte every 5 s: how many the node still
 * holds after 15 and 45 s. Prints figures; not a test. docs/operations.md quotes it.
 *
 * <pre>mvn -o -q -Pbench test-compile      # src/bench/java into target/test-classes
 * java -cp "target/test-classes:target/classes:$(mvn -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" \
 *     io.quotecast.bench.EdgeBenchmark      # -Dbench.edge.openFiles=1200 -Dbench.edge.attempts=1400 -Dbench.edge.slow=1000</pre>
 * The node runs with this JVM's class path: put another build's classes first to measure it, and leave
 * jboss-modules out of it (as the tests do: its logging provider would swallow the node's log).
 */
public final class EdgeBenchmark {

    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private EdgeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int openFiles = Integer.getInteger("bench.edge.openFiles", 1200);
        int attempts = Integer.getInteger("bench.edge.attempts", 1400);
        int slow = Integer.getInteger("bench.edge.slow", 1000);
        int slowSeconds = Integer.getInteger("bench.edge.slowSeconds", 45);
        String which = System.getProperty("bench.edge.tries", "files,slow");
        if (which.contains("files")) {
            openFileLimit(openFiles, attempts);
        }
        if (which.contains("slow")) {
            slowHandshakes(slow, slowSeconds);
        }
    }

    private static void openFileLimit(int openFiles, int attempts) throws Exception {
        // -Dbench.edge.maxConnections=20000: the operator's number above what the process can open, so the kernel refuses first
        String maxConnections = System.getProperty("bench.edge.maxConnections", "auto");
        System.out.printf("== open-file limit %d, server.maxConnections=%s, %d connections attempted, %d s client patience%n",
                openFiles, maxConnections, attempts, PATIENCE.toSeconds());
        try (NodeProcess node = NodeProcess.withOpenFileLimit(openFiles, "edge-files", "server.maxConnections", maxConnections)) {
            // 32 handshakes in flight: below server.maxUnfinishedHandshakesPerAddress (64), which this one address would meet first
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<EdgeClient.Attempt>> futures = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                futures.add(pool.submit(() -> EdgeClient.upgrade(node.port(), PATIENCE, null)));
            }
            List<EdgeClient.Attempt> opened = new ArrayList<>();
            Map<EdgeClient.Outcome, Integer> counts = new EnumMap<>(EdgeClient.Outcome.class);
            long slowestRefusalMillis = 0;
            for (Future<EdgeClient.Attempt> future : futures) {
                EdgeClient.Attempt attempt = future.get();
                counts.merge(attempt.outcome(), 1, Integer::sum);
                if (attempt.outcome() == EdgeClient.Outcome.OPENED) {
                    opened.add(attempt);
                } else if (attempt.outcome() != EdgeClient.Outcome.TIMED_OUT) {
                    slowestRefusalMillis = Math.max(slowestRefusalMillis, attempt.took().toMillis());
                }
            }
            System.out.printf("attempts: %s; slowest refusal %d ms%n", counts, slowestRefusalMillis);

            // knocked on while full: 10 clients knocking every 200 ms (50 a second at most) for 10 s, the node's CPU over that window
            AtomicBoolean knocking = new AtomicBoolean(true);
            Map<EdgeClient.Outcome, Integer> knocks = new EnumMap<>(EdgeClient.Outcome.class);
            List<Future<?>> knockers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                knockers.add(pool.submit(() -> {
                    while (knocking.get()) {
                        EdgeClient.Attempt knock = EdgeClient.upgrade(node.port(), PATIENCE, null);
                        synchronized (knocks) {
                            knocks.merge(knock.outcome(), 1, Integer::sum);
                        }
                        knock.close();
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                    }
                    return null;
                }));
            }
            double saturated = cores(node.pid(), Duration.ofSeconds(10));
            knocking.set(false);
            for (Future<?> knocker : knockers) {
                knocker.get();
            }
            System.out.printf("full and knocked on: %.2f cores over 10 s; knocks %s%n", saturated, knocks);
            int leaving = Math.min(200, opened.size());
            for (int i = 0; i < leaving; i++) {
                opened.remove(opened.size() - 1).close();
            }
            EdgeClient.Attempt newcomer = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && (newcomer == null || newcomer.outcome() != EdgeClient.Outcome.OPENED)) {
                newcomer = EdgeClient.upgrade(node.port(), PATIENCE, null);
            }
            System.out.printf("after %d left: a newcomer %s in %d ms%n", leaving, newcomer.outcome(), newcomer.took().toMillis());
            newcomer.close();
            System.out.printf("idle with %d open: %.2f cores over 5 s%n", opened.size(), cores(node.pid(), Duration.ofSeconds(5)));
            System.out.println("node: " + node.get("/metrics").lines().filter(l -> l.startsWith("quotecast_connections_refused_total"))
                    .toList());
            opened.forEach(EdgeClient.Attempt::close);
            pool.shutdownNow();
            String[] lines = node.output().lines().filter(l -> l.contains("connection limit") || l.contains("descriptors")
                    || l.contains("more than this process")).limit(4).toArray(String[]::new);
            System.out.println("node log: " + String.join("\n          ", lines));
        }
    }

    private static void slowHandshakes(int sockets, int seconds) throws Exception {
        System.out.printf("== %d sockets sending a handshake's start, then a header byte every 5 s%n", sockets);
        try (NodeProcess node = NodeProcess.start("edge-slow")) {
            List<SocketChannel> channels = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < sockets; i++) {
                SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", node.port()));
                channel.configureBlocking(false);
                channel.write(ByteBuffer.wrap(("GET /quotes HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nX-Slow: ")
                        .getBytes(StandardCharsets.ISO_8859_1)));
                channels.add(channel);
            }
            System.out.printf("at 1 s: %d held%n", held(channels));
            for (int round = 1; round * 5 <= seconds; round++) {
                long due = start + TimeUnit.SECONDS.toNanos(5L * round);
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                for (SocketChannel channel : channels) {
                    try {
                        channel.write(ByteBuffer.wrap(new byte[] {'a'}));
                    } catch (IOException closed) {
                        // counted below
                    }
                }
                if (round * 5 == 15 || round * 5 == seconds) {
                    System.out.printf("at %d s: %d held%n", round * 5, held(channels));
                }
            }
            for (SocketChannel channel : channels) {
                channel.close();
            }
        }
    }

    /** Sockets the server has not closed: a read finds nothing yet rather than the end (or a reset). */
    private static int held(List<SocketChannel> channels) {
        int held = 0;
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        for (SocketChannel channel : channels) {
            try {
                buffer.clear();
                int n;
                do {
                    n = channel.read(buffer);
                    buffer.clear();
                } while (n > 0);
                if (n == 0) {
                    held++;
                }
            } catch (IOException reset) {
                // closed
            }
        }
        return held;
    }

    /** The process's CPU over {@code window}, in cores. */
    private static double cores(long pid, Duration window) {
        Duration before = ProcessCpu.of(pid);
        long start = System.nanoTime();
        LockSupport.parkNanos(window.toNanos());
        Duration used = ProcessCpu.of(pid).minus(before);
        return used.toNanos() / (double) (System.nanoTime() - start);
    }
}
