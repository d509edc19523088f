package io.quotecast.bench;

import io.quotecast.config.Settings;
import io.quotecast.market.Symbol;
import io.quotecast.market.SymbolCatalog;
import io.quotecast.testing.LoadGenerator;
import io.quotecast.testing.NodeProcess;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster benchmark (not a test): a broker, a publishing node and two subscribing nodes, each a JVM of
 * its own on this machine, and load A ({@code bench.clients} clients of {@code bench.symbolsPerClient}
 * random symbols, feed {@code bench.feed} ticks/s) split across the two subscribing nodes by the load
 * generator in this JVM.
 *
 * <pre>mvn -o -q -Pbench test-compile exec:exec -Dbench.main=io.quotecast.bench.ClusterBenchmark</pre>
 *
 * Prints: the share of expected quotes delivered, latency from the quote's {@code ts} (p50/p99/p99.9),
 * the broker hop (the age of a tick when a subscribing node's hub gets it, {@code quotecast_feed_lag_seconds},
 * sampled every 100 ms, against the same on the publisher, whose hub gets the tick from its own market),
 * and CPU seconds per million quotes delivered for each subscribing node, with the publisher's and the
 * broker's CPU per million ticks published.
 */
public final class ClusterBenchmark {

    /** Every load client shares 127.0.0.1, with 256 handshakes in flight: the per-address cap on unfinished ones is off. */
    static final String UNCAPPED = "-Dserver.maxUnfinishedHandshakesPerAddress=0";

    private static final String QUOTECAST = "io.quotecast.server.Main";
    private static final Pattern BROKER_READY = Pattern.compile("broker ready at tcp://[^:]+:(\\d+)");
    private static final Pattern FEED_LAG = Pattern.compile("(?m)^quotecast_feed_lag_seconds (\\S+)$");
    private static final long GRACE_MILLIS = 2_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = Integer.getInteger("bench.warmup", 5);
        int seconds = Integer.getInteger("bench.seconds", 20);
        int clients = Integer.getInteger("bench.clients", 1000);
        int symbolsPerClient = Integer.getInteger("bench.symbolsPerClient", 5);
        double feed = Double.parseDouble(System.getProperty("bench.feed", "1000"));
        List<String> serverJvm = List.of(System.getProperty("bench.serverJvm", "-Xmx1g -Xmn64m").split(" "));
        List<String> tickers = SymbolCatalog.load(Settings.load().feed().symbols()).all().stream().map(Symbol::ticker).toList();
        String url = "tcp://127.0.0.1:" + NodeProcess.freePort();
        System.out.printf("Cluster benchmark, %s, %d cores (shared by broker, publisher, two subscribers and the load generator), "
                        + "load average at start %s; load A: %d clients x %d symbols, feed %.0f ticks/s, split over two subscribing nodes; "
                        + "node JVM %s, warm-up %d s, measured %d s%n",
                LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME), Runtime.getRuntime().availableProcessors(),
                FanoutBenchmark.loadAverage(), clients, symbolsPerClient, feed, serverJvm, warmup, seconds);

        List<String> brokerJvm = new ArrayList<>(List.of("-Xmx1g", "-Dbroker.url=" + url));
        List<String> publisherJvm = node(serverJvm, "publish", url, feed);
        List<String> subscriberJvm = node(serverJvm, "subscribe", url, feed);
        SplittableRandom random = new SplittableRandom(42);
        List<List<int[]>> symbols = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < clients; i++) {
            symbols.get(i % 2).add(random.ints(0, tickers.size()).distinct().limit(symbolsPerClient).toArray());
        }
        Path logs = Path.of("target", "bench");
        try (ServerProcess broker = ServerProcess.start(BrokerProcess.class.getName(), brokerJvm, logs.resolve("cluster-broker.log"), BROKER_READY);
             ServerProcess publisher = ServerProcess.start(QUOTECAST, publisherJvm, logs.resolve("cluster-publisher.log"));
             ServerProcess east = ServerProcess.start(QUOTECAST, subscriberJvm, logs.resolve("cluster-east.log"));
             ServerProcess west = ServerProcess.start(QUOTECAST, subscriberJvm, logs.resolve("cluster-west.log"));
             LoadGenerator toEast = new LoadGenerator(tickers, 1);
             LoadGenerator toWest = new LoadGenerator(tickers, 1)) {
            List<ServerProcess> subscribers = List.of(east, west);
            List<LoadGenerator> generators = List.of(toEast, toWest);
            for (int n = 0; n < 2; n++) {
                generators.get(n).connect(subscribers.get(n).port(), subscribers.get(n).path(), symbols.get(n), new boolean[symbols.get(n).size()], 256, 180_000);
            }
            System.out.printf("   %d connections upgraded, %d on each subscribing node; warming up %d s%n", clients, clients / 2, warmup);
            FanoutBenchmark.pause(warmup * 1000L);

            if (Boolean.getBoolean("bench.jfr")) {
                // Where each process's CPU goes over the window (started before it: jcmd takes a while): the
                // broker, the publisher, one subscribing node.
                FanoutBenchmark.record(broker, seconds + 5, logs.resolve("cluster-broker.jfr"));
                FanoutBenchmark.record(publisher, seconds + 5, logs.resolve("cluster-publisher.jfr"));
                FanoutBenchmark.record(east, seconds + 5, logs.resolve("cluster-east.jfr"));
            }
            double[] cpu0 = {broker.cpuSeconds(), publisher.cpuSeconds(), east.cpuSeconds(), west.cpuSeconds()};
            long t0 = System.currentTimeMillis();
            long t1 = t0 + seconds * 1000L;
            generators.forEach(g -> {
                g.timeWindow(t0, t1);
                g.countArrivals(true);
            });
            long started = System.nanoTime();
            List<Double> publisherLag = new ArrayList<>();
            List<Double> subscriberLag = new ArrayList<>();
            while (System.currentTimeMillis() < t1) {
                publisherLag.add(feedLag(publisher.port()));
                subscriberLag.add(feedLag(east.port()));
                subscriberLag.add(feedLag(west.port()));
                FanoutBenchmark.pause(Math.min(100, t1 - System.currentTimeMillis()));
            }
            generators.forEach(g -> g.countArrivals(false));
            double elapsed = (System.nanoTime() - started) / 1e9;
            double[] cpu = {broker.cpuSeconds() - cpu0[0], publisher.cpuSeconds() - cpu0[1], east.cpuSeconds() - cpu0[2],
                    west.cpuSeconds() - cpu0[3]};
            FanoutBenchmark.pause(GRACE_MILLIS);

            LoadGenerator.Stats all = new LoadGenerator.Stats(tickers.size());
            long expected = 0;
            long delivered = 0;
            long[] arrivals = new long[2];
            for (int n = 0; n < 2; n++) {
                LoadGenerator.Stats stats = generators.get(n).stats();
                arrivals[n] = stats.arrivals;
                delivered += stats.deliveredInWindow;
                expected += Math.max(stats.expected(feed / tickers.size() * seconds), stats.expectedSeen());
                all.add(stats);
            }
            double ticks = feed * elapsed;
            System.out.printf(Locale.ROOT, "%nLoad A over two subscribing nodes (%.1f s measured; load average now %s)%n", elapsed, FanoutBenchmark.loadAverage());
            System.out.printf(Locale.ROOT, "  quotes delivered /s                   %.0f%n", all.arrivals / elapsed);
            System.out.printf(Locale.ROOT, "  delivered share of expected %%         %.2f (%d of %d)%n",
                    expected == 0 ? 0 : 100.0 * delivered / expected, delivered, expected);
            System.out.printf(Locale.ROOT, "  latency from ts p50 / p99 / p99.9 ms  %d / %d / %d (max %d)%n",
                    all.latencyMillis.getValueAtPercentile(50), all.latencyMillis.getValueAtPercentile(99),
                    all.latencyMillis.getValueAtPercentile(99.9), all.latencyMillis.getMaxValue());
            System.out.printf(Locale.ROOT, "  seq backwards                         %d%n", all.backwards);
            System.out.printf(Locale.ROOT, "  broker hop: tick age at the hub, ms   subscribers mean %.2f, p99 %.1f; publisher mean %.2f%n",
                    mean(subscriberLag) * 1000, percentile(subscriberLag, 99) * 1000, mean(publisherLag) * 1000);
            for (int n = 0; n < 2; n++) {
                System.out.printf(Locale.ROOT, "  %s: CPU %.1f s = %.2f s per 1M quotes delivered (%.2f cores)%n", n == 0 ? "east" : "west",
                        cpu[2 + n], arrivals[n] == 0 ? Double.NaN : cpu[2 + n] / (arrivals[n] / 1e6), cpu[2 + n] / elapsed);
            }
            System.out.printf(Locale.ROOT, "  publisher: CPU %.1f s (%.2f cores) = %.1f s per 1M ticks published (its market and its hub, no clients)%n",
                    cpu[1], cpu[1] / elapsed, cpu[1] / (ticks / 1e6));
            System.out.printf(Locale.ROOT, "  broker: CPU %.1f s (%.2f cores) = %.1f s per 1M ticks, each delivered to 2 nodes%n",
                    cpu[0], cpu[0] / elapsed, cpu[0] / (ticks / 1e6));
        }
    }

    private static List<String> node(List<String> serverJvm, String mode, String url, double feed) {
        List<String> jvm = new ArrayList<>(serverJvm);
        jvm.addAll(List.of("-Dserver.host=127.0.0.1", "-Dserver.port=0", UNCAPPED, "-Dfeed.mode=" + mode, "-Dbroker.url=" + url,
                "-Dfeed.ticksPerSecond=" + feed));
        return jvm;
    }

    /** The node's {@code quotecast_feed_lag_seconds}: how old the last tick was when its hub got it. */
    private static double feedLag(int port) {
        try {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher matcher = FEED_LAG.matcher(metrics);
            return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    private static double mean(List<Double> values) {
        return values.stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double percentile(List<Double> values, double percentile) {
        double[] sorted = values.stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100 * sorted.length) - 1)];
    }
}
