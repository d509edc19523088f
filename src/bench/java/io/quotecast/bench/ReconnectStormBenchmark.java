package io.quotecast.bench;

import io.quotecast.config.Settings;
import io.quotecast.market.SymbolCatalog;
import io.quotecast.testing.LoadGenerator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How fast a node takes back a crowd that reconnects at once: N connections (10,000 by default), each
 * subscribing to one symbol in its URL, opened against a freshly started standalone server in its own
 * JVM, at most {@code bench.storm.concurrent} handshakes in flight. Prints the time until all are
 * upgraded. Not a test; docs/operations.md quotes it.
 *
 * <pre>mvn -o -q -Pbench test-compile      # src/bench/java into target/test-classes
 * java -cp "target/test-classes:target/classes:$(mvn -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" \
 *     io.quotecast.bench.ReconnectStormBenchmark</pre>
 * (the server under test is started with this JVM's class path, so {@code exec:java} will not do).
 *
 * ({@code ulimit -n} above 2 N + 100: both ends of every connection are on this machine.)
 */
public final class ReconnectStormBenchmark {

    private ReconnectStormBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int clients = Integer.getInteger("bench.storm.clients", 10_000);
        int concurrent = Integer.getInteger("bench.storm.concurrent", 1_000);
        List<String> tickers = SymbolCatalog.load(Settings.load().feed().symbols()).all().stream().map(s -> s.ticker()).toList();
        List<int[]> symbols = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            symbols.add(new int[] {i % tickers.size()});
        }
        List<String> jvm = List.of("-Xmx1g", "-Xmn64m", "-Dserver.host=127.0.0.1", "-Dserver.port=0", "-Dfeed.ticksPerSecond=100",
                ClusterBenchmark.UNCAPPED); // 1000 handshakes in flight, all from 127.0.0.1
        for (int round = 1; round <= 3; round++) {
            try (ServerProcess server = ServerProcess.start("io.quotecast.server.Main", jvm, Path.of("target", "bench", "storm.log"));
                 LoadGenerator generator = new LoadGenerator(tickers, 2)) {
                long start = System.nanoTime();
                generator.connect(server.port(), server.path(), symbols, new boolean[clients], concurrent, 120_000);
                System.out.printf("round %d: %d connections upgraded in %.2f s (%d handshakes in flight at most)%n",
                        round, clients, (System.nanoTime() - start) / 1e9, concurrent);
            }
        }
    }
}
