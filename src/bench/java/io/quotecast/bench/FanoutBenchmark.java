package io.quotecast.bench;

import io.quotecast.config.Settings;
import io.quotecast.market.Symbol;
import io.quotecast.market.SymbolCatalog;
import io.quotecast.testing.LoadGenerator;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The fan-out benchmark (not a test): Quotecast, the textbook JSR 356 ticker ({@link TextbookTicker}) and
 * a best-practice Netty broadcaster ({@link NettyTicker}), each in its own JVM, under the same loads from the same load generator ({@link LoadGenerator}, in
 * this JVM), one after the other, and every figure printed side by side.
 *
 * <pre>mvn -o -q -Pbench test-compile exec:exec</pre>
 *
 * Loads (each phase: connect, warm up, measure, a short grace for late quotes):
 * <ul>
 * <li>A: {@code bench.clients} (1000) clients on {@code bench.symbolsPerClient} (5) random symbols of 50,
 *     feed at {@code bench.feed} (1000) ticks/s;</li>
 * <li>A + paused: the same, {@code bench.paused} (50) of them never reading their socket;</li>
 * <li>F: a fast reader of every symbol, next to {@code bench.clients} (1000) clients of one symbol
 *     each, feed at {@code bench.fastFeed} (5000) ticks/s: about as many quotes a second as A, and
 *     the one client of all 50 symbols must get every tick;</li>
 * <li>C: {@code bench.bigClients} (10000) connections on one symbol each, feed at {@code bench.bigFeed} (100) ticks/s.</li>
 * </ul>
 * Other knobs: {@code bench.warmup} (5 s), {@code bench.seconds} (20 s), {@code bench.loadThreads} (2),
 * {@code bench.phases} (e.g. {@code A,P,C}), {@code bench.servers} (e.g. {@code quotecast,textbook,netty}: {@link NettyTicker} is the Netty peer;
 * also {@code quotecast-nometrics}, Quotecast with its metrics off, and {@code quotecast-flush5}, Quotecast
 * with {@code connection.flushMillis} 5),
 * {@code bench.serverJvm} (options for both server JVMs, default {@code -Xmx1g -Xmn64m}).
 * A Quotecast server named {@code quotecast-flush0@/work/wt-old} runs that directory's build
 * ({@code target/quotecast-standalone.jar}, e.g. an older commit's) instead of this one, so that builds
 * can be compared under the same load generator in one run.
 */
public final class FanoutBenchmark {

    private static final String QUOTECAST = "io.quotecast.server.Main";
    private static final String TEXTBOOK = "io.quotecast.bench.TextbookTicker";
    private static final String NETTY = "io.quotecast.bench.NettyTicker";
    /** In {@code bench.servers}: the Netty peer ({@link NettyTicker}). */
    private static final String NETTY_PEER = "netty";
    /** In {@code bench.servers}, {@code quotecast-flush5} etc.: Quotecast with {@code connection.flushMillis} 5. */
    private static final String QUOTECAST_FLUSH = "quotecast-flush";
    /** Quotecast with {@code metrics.enabled=false}: in {@code bench.servers}, to measure what metrics cost. */
    private static final String QUOTECAST_WITHOUT_METRICS = "quotecast-nometrics";
    private static final long GRACE_MILLIS = 2_000;

    private FanoutBenchmark() {
    }

    /** A server's name as a file name: an external build's path in it becomes dashes. */
    private static String fileName(String server) {
        return server.replaceAll("[^A-Za-z0-9.-]+", "-");
    }

    /** {@code everySymbol}: clients, besides {@code clients}, subscribed to every symbol and reading. */
    record Load(String id, String title, int clients, int symbolsPerClient, int paused, double feed, int everySymbol) {
    }

    record Result(String server, Load load, double seconds, long arrivals, long delivered, long expected,
                  long p50, long p99, long p999, long max, double cpuSeconds, double rssStart, double rssEnd,
                  double rssPeak, double heapStart, double heapEnd, double loadCpuSeconds, long backwards,
                  int readingClosed, int pausedClosed, long everySymbolDelivered, long everySymbolExpected,
                  long everySymbolJumps) {

        /** The share of the window's ticks that the clients of every symbol got; NaN without such clients. */
        double everySymbolShare() {
            return everySymbolExpected == 0 ? Double.NaN : 100.0 * everySymbolDelivered / everySymbolExpected;
        }

        double perSecond() {
            return arrivals / seconds;
        }

        double share() {
            return expected == 0 ? 0 : 100.0 * delivered / expected;
        }

        double cpuPerMillion() {
            return arrivals == 0 ? Double.NaN : cpuSeconds / (arrivals / 1e6);
        }
    }

    public static void main(String[] args) {
        int warmup = Integer.getInteger("bench.warmup", 5);
        int seconds = Integer.getInteger("bench.seconds", 20);
        int clients = Integer.getInteger("bench.clients", 1000);
        int symbolsPerClient = Integer.getInteger("bench.symbolsPerClient", 5);
        int paused = Integer.getInteger("bench.paused", 50);
        int bigClients = Integer.getInteger("bench.bigClients", 10_000);
        double feed = Double.parseDouble(System.getProperty("bench.feed", "1000"));
        double bigFeed = Double.parseDouble(System.getProperty("bench.bigFeed", "100"));
        double fastFeed = Double.parseDouble(System.getProperty("bench.fastFeed", "5000"));
        int loadThreads = Integer.getInteger("bench.loadThreads", 2);
        List<String> phases = List.of(System.getProperty("bench.phases", "A,F,P,C").split(","));
        List<String> servers = List.of(System.getProperty("bench.servers", "quotecast,textbook").split(","));
        // A small fixed young generation: eden is all touched during the warm-up, so RSS growth in the
        // measured window is memory held (old generation, native), not eden pages touched the first time.
        List<String> serverJvm = List.of(System.getProperty("bench.serverJvm", "-Xmx1g -Xmn64m").split(" "));

        List<String> tickers = SymbolCatalog.load(Settings.load().feed().symbols()).all().stream().map(Symbol::ticker).toList();
        Map<String, Load> loads = new LinkedHashMap<>();
        loads.put("A", new Load("A", clients + " clients x " + symbolsPerClient + " symbols, feed " + fmt(feed) + " ticks/s",
                clients, symbolsPerClient, 0, feed, 0));
        loads.put("F", new Load("F", "1 client x all " + tickers.size() + " symbols next to " + clients
                + " clients x 1 symbol, feed " + fmt(fastFeed) + " ticks/s", clients, 1, 0, fastFeed, 1));
        loads.put("P", new Load("P", clients + " clients x " + symbolsPerClient + " symbols, " + paused
                + " of them paused (never read), feed " + fmt(feed) + " ticks/s", clients, symbolsPerClient, paused, feed, 0));
        loads.put("C", new Load("C", bigClients + " connections x 1 symbol, feed " + fmt(bigFeed) + " ticks/s",
                bigClients, 1, 0, bigFeed, 0));

        System.out.printf("Fan-out benchmark, %s, %d cores (shared with the load generator and anything else running; "
                        + "load average at start %s), server JVM %s, warm-up %d s, measured %d s per phase, load threads %d%n",
                LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME), Runtime.getRuntime().availableProcessors(),
                loadAverage(), serverJvm, warmup, seconds, loadThreads);
        List<Result> results = new ArrayList<>();
        for (String phase : phases) {
            Load load = loads.get(phase.strip());
            if (load == null) {
                throw new IllegalArgumentException("no phase " + phase + "; phases are " + loads.keySet());
            }
            for (String server : servers) {
                Result result = run(server.strip(), load, tickers, serverJvm, warmup, seconds, loadThreads);
                results.add(result);
                print(result);
            }
        }
        summarize(results, loads.values(), servers.stream().map(String::strip).toArray(String[]::new));
    }

    static Result run(String server, Load load, List<String> tickers, List<String> serverJvm,
                              int warmup, int seconds, int loadThreads) {
        List<String> jvm = new ArrayList<>(serverJvm);
        jvm.add("-Dserver.host=127.0.0.1");
        jvm.add("-Dserver.port=0");
        jvm.add(ClusterBenchmark.UNCAPPED); // the Quotecast server's: every load client shares 127.0.0.1
        jvm.add("-Dfeed.ticksPerSecond=" + load.feed());
        if (server.equals(QUOTECAST_WITHOUT_METRICS)) {
            jvm.add("-Dmetrics.enabled=false");
        }
        if (server.startsWith(QUOTECAST_FLUSH)) {
            String flush = server.substring(QUOTECAST_FLUSH.length()).split("@")[0];
            jvm.add("-Dconnection.flushMillis=" + Integer.parseInt(flush));
        }
        String mainClass = server.startsWith("quotecast") ? QUOTECAST : server.equals(NETTY_PEER) ? NETTY : TEXTBOOK;
        int at = server.indexOf('@');
        Path log = Path.of("target", "bench", fileName(server) + "-" + load.id() + ".log");
        try (ServerProcess process = at < 0 || !server.startsWith("quotecast")
                ? ServerProcess.start(mainClass, jvm, log)
                : ServerProcess.startBuild(Path.of(server.substring(at + 1)), jvm, log)) {
            return measure(server, load, tickers, process, warmup, seconds, loadThreads);
        }
    }

    /**
     * One phase against a running server: connect the load's clients, warm up, measure a window,
     * then wait a short grace for late quotes. The server is left running.
     */
    static Result measure(String server, Load load, List<String> tickers, MeasuredServer process,
                          int warmup, int seconds, int loadThreads) {
        System.out.printf("%n-- %s, load %s: %s%n", server, load.id(), load.title());
        SplittableRandom random = new SplittableRandom(42);
        List<int[]> symbols = new ArrayList<>();
        boolean[] paused = new boolean[load.clients() + load.everySymbol()];
        for (int i = 0; i < load.everySymbol(); i++) {
            symbols.add(java.util.stream.IntStream.range(0, tickers.size()).toArray());
        }
        for (int i = 0; i < load.clients(); i++) {
            if (load.symbolsPerClient() == 1) {
                symbols.add(new int[] {i % tickers.size()});
            } else {
                symbols.add(random.ints(0, tickers.size()).distinct().limit(load.symbolsPerClient()).toArray());
            }
        }
        // Spread the paused clients over the population: every (clients / paused)-th one.
        for (int i = 0; i < load.paused(); i++) {
            paused[load.everySymbol() + (int) ((long) i * load.clients() / load.paused())] = true;
        }
        try (LoadGenerator generator = new LoadGenerator(tickers, loadThreads)) {
            // What the server holds with no client, to read what each connection adds.
            double idleHeap = process.liveHeapMiB();
            double idleRss = process.rssMiB();
            long connectStarted = System.nanoTime();
            generator.connect(process.port(), process.path(), symbols, paused, 256, 180_000);
            int connections = load.clients() + load.everySymbol();
            System.out.printf("   %d connections upgraded in %.1f s; server RSS %.0f MiB; warming up %d s%n",
                    connections, (System.nanoTime() - connectStarted) / 1e9, process.rssMiB(), warmup);
            // The full GC that measures the live heap also hands free heap back to the OS (eden too,
            // about 64 MiB): taken after the warm-up, the window's RSS would mostly be eden touched
            // again. So it comes first, and the warm-up brings the heap back to its working size.
            double heap0 = process.liveHeapMiB();
            System.out.printf("   per connection: %.1f KiB of live heap (%.1f -> %.1f MiB), %.1f KiB of RSS (%.0f -> %.0f MiB)%n",
                    (heap0 - idleHeap) * 1024 / connections, idleHeap, heap0,
                    (process.rssMiB() - idleRss) * 1024 / connections, idleRss, process.rssMiB());
            if (Boolean.getBoolean("bench.histogram")) {
                histogram(process, Path.of("target", "bench", fileName(server) + "-" + load.id() + ".histogram.txt"));
            }
            pause(warmup * 1000L);

            // before the window's clock starts: the first request to /metrics takes most of a second
            double conflated0 = serverCounter(process, "quotecast_quotes_conflated_total");
            if (Boolean.getBoolean("bench.jfr")) {
                // before the window's clock starts, as the /metrics read: starting a recording takes a while
                record(process, seconds, Path.of("target", "bench", fileName(server) + "-" + load.id() + ".jfr"));
            }
            double[] userSystem0 = process.userSystemSeconds();
            double cpu0 = userSystem0[0] + userSystem0[1];
            long writeCalls0 = MeasuredServer.writeCalls(process.pid());
            double self0 = MeasuredServer.cpuSeconds(ProcessHandle.current().pid());
            double rss0 = process.rssMiB();
            double peak = rss0;
            long t0 = System.currentTimeMillis();
            long t1 = t0 + seconds * 1000L;
            generator.timeWindow(t0, t1);
            generator.countArrivals(true);
            long started = System.nanoTime();
            while (System.currentTimeMillis() < t1) {
                pause(Math.min(1000, t1 - System.currentTimeMillis()));
                peak = Math.max(peak, process.rssMiB());
            }
            generator.countArrivals(false);
            double elapsed = (System.nanoTime() - started) / 1e9;
            double[] userSystem1 = process.userSystemSeconds();
            double cpu = userSystem1[0] + userSystem1[1] - cpu0;
            double systemShare = cpu == 0 ? 0 : 100 * (userSystem1[1] - userSystem0[1]) / cpu;
            System.out.printf("   load average now %s; server CPU %.0f %% in the kernel (system time)%n", loadAverage(), systemShare);
            double self = MeasuredServer.cpuSeconds(ProcessHandle.current().pid()) - self0;
            long writeCalls = MeasuredServer.writeCalls(process.pid()) - writeCalls0;
            pause(GRACE_MILLIS);
            double rss1 = process.rssMiB();
            LoadGenerator.Stats stats = generator.stats();
            double conflated = serverCounter(process, "quotecast_quotes_conflated_total") - conflated0;
            if (!Double.isNaN(conflated)) {
                // where a shortfall in "delivered" went: quotes the server conflated for clients behind their budget
                System.out.printf("   server conflated %.0f quotes from the window's start to the end of the grace%n", conflated);
            }
            double heap1 = process.liveHeapMiB();
            // Ticks in the window: what the feed's rate promises, or more where the clients saw more
            // (the window's edges fall between the feed's 2 ms batches).
            long expected = Math.max(stats.expected(load.feed() / tickers.size() * seconds), stats.expectedSeen());
            // A shortfall with no seq jump is no lost quote: the feed made fewer ticks in the window than its rate
            // promises (its thread ran late at the window's edges), and each client got every one it made.
            // On loopback a write's system call does the receiver's share of TCP too: the server's CPU follows it.
            System.out.printf(Locale.ROOT, "   server write system calls in the window: %d, %.3f per quote delivered%n",
                    writeCalls, stats.arrivals == 0 ? Double.NaN : (double) writeCalls / stats.arrivals);
            System.out.printf("   quotes expected in the window: %d at the feed's rate, %d from the seqs the clients saw; "
                    + "seq jumps (missed ticks) of reading clients: %d%n",
                    stats.expected(load.feed() / tickers.size() * seconds), stats.expectedSeen(), stats.jumps);
            return new Result(server, load, elapsed, stats.arrivals, stats.deliveredInWindow, expected,
                    stats.latencyMillis.getValueAtPercentile(50), stats.latencyMillis.getValueAtPercentile(99),
                    stats.latencyMillis.getValueAtPercentile(99.9), stats.latencyMillis.getMaxValue(),
                    cpu, rss0, rss1, Math.max(peak, rss1), heap0, heap1, self, stats.backwards, stats.readingClosed,
                    stats.pausedClosedByServer, stats.everySymbolDelivered,
                    Math.round(stats.everySymbolConnections * load.feed() * seconds), stats.everySymbolJumps);
        }
    }

    /**
     * The side-by-side table of every load the servers ran, one column per server; with two servers,
     * {@code first / second} in a ratio column.
     */
    static void summarize(List<Result> results, java.util.Collection<Load> loads, String... servers) {
        System.out.println();
        System.out.printf("Summary (measured in this run%s)%n",
                servers.length == 2 ? "; ratio = " + servers[0] + " / " + servers[1] : "");
        for (Load load : loads) {
            List<Result> columns = new ArrayList<>();
            for (String server : servers) {
                results.stream().filter(r -> r.load() == load && r.server().equals(server)).findFirst().ifPresent(columns::add);
            }
            if (columns.isEmpty()) {
                continue;
            }
            boolean ratio = servers.length == 2 && columns.size() == 2;
            System.out.printf("Load %s: %s%n", load.id(), load.title());
            StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-34s", ""));
            columns.forEach(r -> header.append(String.format(Locale.ROOT, " %20s", r.server())));
            System.out.println(header + (ratio ? String.format(Locale.ROOT, " %8s", "ratio") : ""));
            row("quotes delivered /s", columns, ratio, Result::perSecond, "%.0f");
            row("delivered share of expected %", columns, ratio, Result::share, "%.2f");
            row("latency p50 ms", columns, ratio, r -> r.p50(), "%.0f");
            row("latency p99 ms", columns, ratio, r -> r.p99(), "%.0f");
            row("latency p99.9 ms", columns, ratio, r -> r.p999(), "%.0f");
            row("server CPU s per 1M quotes", columns, ratio, Result::cpuPerMillion, "%.2f");
            if (load.everySymbol() > 0) {
                row("client of every symbol: share %", columns, ratio, Result::everySymbolShare, "%.2f");
                row("client of every symbol: seq jumps", columns, ratio, r -> r.everySymbolJumps(), "%.0f");
            }
            row("server CPU cores used (avg)", columns, ratio, r -> r.cpuSeconds() / r.seconds(), "%.2f");
            row("server RSS at window start MiB", columns, ratio, Result::rssStart, "%.0f");
            row("server RSS at end MiB", columns, ratio, Result::rssEnd, "%.0f");
            row("server RSS growth MiB", columns, ratio, r -> r.rssEnd() - r.rssStart(), "%.0f");
            row("live heap after full GC, end MiB", columns, ratio, Result::heapEnd, "%.1f");
            row("live heap growth MiB", columns, ratio, r -> r.heapEnd() - r.heapStart(), "%.1f");
            row("load generator CPU s", columns, ratio, Result::loadCpuSeconds, "%.1f");
        }
    }

    static void print(Result r) {
        System.out.printf(Locale.ROOT, "   %s: %.0f quotes/s delivered, %.2f %% of expected (%d of %d, ts in window, by +%d ms); "
                        + "latency ms p50 %d p99 %d p99.9 %d max %d; server CPU %.1f s = %.2f s per 1M quotes (%.2f cores); "
                        + "server RSS %.0f -> %.0f MiB (peak %.0f); live heap after full GC %.1f -> %.1f MiB; "
                        + "load generator CPU %.1f s; seq backwards %d; reading clients closed %d; paused clients closed by server %d"
                        + "; client of every symbol %.2f %% of its ticks, %d seq jumps%n",
                r.server(), r.perSecond(), r.share(), r.delivered(), r.expected(), GRACE_MILLIS, r.p50(), r.p99(), r.p999(),
                r.max(), r.cpuSeconds(), r.cpuPerMillion(), r.cpuSeconds() / r.seconds(), r.rssStart(), r.rssEnd(),
                r.rssPeak(), r.heapStart(), r.heapEnd(), r.loadCpuSeconds(), r.backwards(), r.readingClosed(), r.pausedClosed(),
                r.everySymbolShare(), r.everySymbolJumps());
    }

    private static void row(String name, List<Result> columns, boolean ratio,
                            java.util.function.ToDoubleFunction<Result> figure, String format) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-34s", name));
        for (Result r : columns) {
            line.append(String.format(Locale.ROOT, " %20s", String.format(Locale.ROOT, format, figure.applyAsDouble(r))));
        }
        if (ratio && figure.applyAsDouble(columns.get(1)) != 0) {
            line.append(String.format(Locale.ROOT, " %8.2f", figure.applyAsDouble(columns.get(0)) / figure.applyAsDouble(columns.get(1))));
        }
        System.out.println(line);
    }

    /** A counter of the server's /metrics (beside its stream's path), or NaN where it has none (the textbook). */
    static double serverCounter(MeasuredServer process, String name) {
        try {
            String path = process.path().substring(0, process.path().lastIndexOf('/')) + "/metrics";
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + process.port() + path))
                            .timeout(java.time.Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Double.NaN;
            }
            io.quotecast.testing.PrometheusText metrics = io.quotecast.testing.PrometheusText.parse(response.body());
            return metrics.has(name) ? metrics.value(name) : Double.NaN;
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** A flight recording of the server over the window ({@code -Dbench.jfr=true}): where its CPU goes. */
    /** The server's heap by class, after a full GC, to a file, and its largest lines printed. */
    private static void histogram(MeasuredServer process, Path file) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            Process histogram = new ProcessBuilder(jcmd, Long.toString(process.pid()), "GC.class_histogram")
                    .redirectErrorStream(true).redirectOutput(file.toFile()).start();
            histogram.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
            java.nio.file.Files.readAllLines(file).stream().limit(30).forEach(line -> System.out.println("     " + line));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void record(MeasuredServer process, int seconds, Path file) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            Process start = new ProcessBuilder(jcmd, Long.toString(process.pid()), "JFR.start", "settings=profile",
                    "duration=" + seconds + "s", "filename=" + file.toAbsolutePath()).redirectErrorStream(true).start();
            start.getInputStream().readAllBytes();
            start.waitFor();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String loadAverage() {
        try {
            String[] fields = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /**
     * Waits until a measurement phase (warm-up, window, grace) has ended, {@code millis} from now: the
     * phase is a length of time, so its end is the condition, waited for on the monotonic clock.
     */
    static void pause(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during a measurement phase");
            }
        }
    }
}
