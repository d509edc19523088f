package io.quotecast.bench;

import io.quotecast.config.Settings;
import io.quotecast.market.SimulatedMarket;
import io.quotecast.ops.CountingSink;
import io.quotecast.ops.Traffic;
import io.quotecast.market.SymbolCatalog;
import io.quotecast.stream.CloseCode;
import io.quotecast.stream.Frame;
import io.quotecast.stream.FrameSink;
import io.quotecast.stream.QuoteHub;
import io.quotecast.stream.Subscriber;
import io.quotecast.websocket.QuoteEncoder;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The fan-out alone, without a socket: load A's shape (1000 subscribers of 5 random symbols of 50,
 * the simulated market at 1000 ticks/s) through the real {@link QuoteHub} on its real threads, into
 * sinks that take each write at once and count it. What it prints, the process's CPU per quote
 * delivered, is the part of a quote's cost that is Quotecast's own (encoding once, the outboxes, the
 * gathering, the hand-offs to the sender threads, GC), free of the kernel's cost of a write and of
 * the load generator sharing the cores, which blur it in {@link FanoutBenchmark} by more than the
 * changes to it are worth.
 *
 * <pre>mvn -o -Pbench test-compile exec:exec -Dbench.main=io.quotecast.bench.HubBenchmark</pre>
 */
public final class HubBenchmark {

    public static void main(String[] args) throws Exception {
        int clients = Integer.getInteger("bench.clients", 1000);
        int symbolsPerClient = Integer.getInteger("bench.symbolsPerClient", 5);
        double feed = Double.parseDouble(System.getProperty("bench.feed", "1000"));
        int warmup = Integer.getInteger("bench.warmup", 10);
        int seconds = Integer.getInteger("bench.seconds", 20);
        int rounds = Integer.getInteger("bench.rounds", 3);
        long windowMillis = Long.getLong("bench.flushMillis", Settings.load().connection().flushMillis(false));
        // as in production, each connection's sink counts what it is handed, into the server's totals
        boolean metrics = Boolean.parseBoolean(System.getProperty("bench.metrics", "true"));
        Traffic traffic = new Traffic();

        SymbolCatalog catalog = SymbolCatalog.load(Settings.load().feed().symbols());
        QuoteHub hub = new QuoteHub(catalog, new QuoteEncoder(), Settings.load().history().ticksPerSymbol(),
                Duration.ofSeconds(30), Duration.ofMillis(windowMillis), 1 << 20);
        TakingSink sinks = new TakingSink();
        Random random = new Random(42);
        List<Subscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Subscriber subscriber = hub.connect(metrics ? new CountingSink(sinks, traffic) : sinks);
            hub.subscribe(subscriber, random.ints(0, catalog.size()).distinct().limit(symbolsPerClient).toArray(),
                    "{\"type\":\"subscribed\"}");
            subscribers.add(subscriber);
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("hub: %d clients x %d symbols of %d, feed %.0f ticks/s, window %d ms, %d ticks kept per symbol, metrics %s%n",
                clients, symbolsPerClient, catalog.size(), feed, windowMillis, Settings.load().history().ticksPerSymbol(),
                metrics ? "counted" : "off");
        try (SimulatedMarket market = new SimulatedMarket(catalog, feed, 7, hub)) {
            market.start();
            pause(warmup);
            for (int round = 1; round <= rounds; round++) {
                long cpu0 = os.getProcessCpuTime();
                long quotes0 = sinks.frames.sum();
                long writes0 = sinks.writes.sum();
                long wall0 = System.nanoTime();
                pause(seconds);
                double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
                double wall = (System.nanoTime() - wall0) / 1e9;
                long quotes = sinks.frames.sum() - quotes0;
                long writes = sinks.writes.sum() - writes0;
                System.out.printf("round %d: %,d quotes/s, %.3f writes per quote, CPU %.3f cores, %.3f CPU-us per quote%n",
                        round, Math.round(quotes / wall), (double) writes / quotes, cpu / wall, cpu * 1e6 / quotes);
            }
        }
        hub.close();
    }

    /** The benchmark's own clock: it measures over a span of wall time, nothing waits on it. */
    private static void pause(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
    }

    /** Every subscriber's sink: a write is taken whole at once, as a socket with room takes it. */
    private static final class TakingSink implements FrameSink {
        final LongAdder frames = new LongAdder();
        final LongAdder writes = new LongAdder();
        final LongAdder bytes = new LongAdder();

        @Override
        public void send(String text, Consumer<Throwable> done) {
            writes.increment();
            done.accept(null);
        }

        @Override
        public void send(Frame frame, Consumer<Throwable> done) {
            frames.increment();
            writes.increment();
            done.accept(null);
        }

        @Override
        public boolean gathers() {
            return true;
        }

        @Override
        public void send(Frame[] frames, int count, Consumer<Throwable> done) {
            // joined into one array as the standalone server's sink does before its one write
            bytes.add(Frame.joinWire(frames, count).length);
            this.frames.add(count);
            writes.increment();
            done.accept(null);
        }

        @Override
        public void close(CloseCode code, String reason) {
        }
    }
}
