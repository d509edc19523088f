package io.quotecast.bench;

import io.quotecast.config.Settings;
import io.quotecast.market.BarHistory;
import io.quotecast.market.Quote;
import io.quotecast.market.SymbolCatalog;
import io.quotecast.stream.CloseCode;
import io.quotecast.stream.Frame;
import io.quotecast.stream.FrameSink;
import io.quotecast.stream.QuoteHub;
import io.quotecast.stream.Subscriber;
import io.quotecast.testing.Eventually;
import io.quotecast.testing.RunningServer;
import io.quotecast.testing.TestClient;
import io.quotecast.websocket.QuoteEncoder;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Prints what resume and history cost: heap per symbol with full buffers at the default settings,
 * and how long a client waits for a full buffer's replay. Not a test: run it by hand (see README).
 */
public final class ResumeBenchmark {

    public static void main(String[] args) {
        Settings defaults = Settings.load();
        System.out.printf("history.ticksPerSymbol=%d history.barsPerInterval=%d%n",
                defaults.history().ticksPerSymbol(), defaults.history().barsPerInterval());
        memoryPerSymbol(defaults);
        replayTime(defaults);
        System.exit(0);
    }

    /** Fills every tick buffer and bar series, then compares the heap with and without them. */
    private static void memoryPerSymbol(Settings settings) {
        SymbolCatalog catalog = SymbolCatalog.load(settings.feed().symbols());
        long before = usedHeapAfterGc();
        QuoteHub hub = new QuoteHub(catalog, new QuoteEncoder(), settings.history().ticksPerSymbol(),
                java.time.Duration.ofMillis(settings.connection().stuckTimeoutMillis()), java.time.Duration.ofMillis(settings.connection().flushMillis()),
                settings.connection().maxQueuedBytes());
        BarHistory bars = new BarHistory(catalog, settings.history().barsPerInterval());
        // One subscriber to everything, through a sink that takes each frame's wire form as the
        // standalone server's does: the buffers then hold what they hold in production.
        Subscriber everything = hub.connect(new FrameSink() {
            @Override
            public void send(String text, Consumer<Throwable> done) {
                done.accept(null);
            }

            @Override
            public void send(Frame frame, Consumer<Throwable> done) {
                frame.wire();
                done.accept(null);
            }

            @Override
            public void close(CloseCode code, String reason) {
            }
        });
        hub.subscribe(everything, java.util.stream.IntStream.range(0, catalog.size()).toArray(), "{}");
        long ticks = Math.max(settings.history().ticksPerSymbol(), settings.history().barsPerInterval()) + 10;
        long start = System.currentTimeMillis();
        for (long seq = 1; seq <= ticks; seq++) {
            for (int s = 0; s < catalog.size(); s++) {
                // A minute apart: every tick opens a new 1s and a new 1m bar, so every ring fills.
                Quote quote = sample(catalog.get(s), seq, start + seq * 60_000);
                bars.onQuote(quote);
                hub.onQuote(quote);
            }
        }
        Eventually.await("every frame sent", () -> everything.framesWaiting() == 0);
        hub.disconnect(everything);
        long after = usedHeapAfterGc();
        System.out.printf("memory per symbol with full buffers: %.1f KiB (%d symbols: %.1f MiB in all)%n",
                (after - before) / 1024.0 / catalog.size(), catalog.size(), (after - before) / 1024.0 / 1024.0);
        hub.close();
        if (bars.bars(0, io.quotecast.market.BarInterval.MINUTE, 1).isEmpty()) {
            throw new AssertionError("bars were not filled");
        }
    }

    private static void replayTime(Settings settings) {
        try (RunningServer server = RunningServer.start("feed.ticksPerSecond", "20000")) {
            QuoteHub hub = server.server().quotecast().hub();
            int acme = hub.catalog().indexOf("ACME");
            int full = settings.history().ticksPerSymbol();
            Eventually.await("full buffers", () -> hub.latest(acme).orElseThrow().seq() > full + 10, Duration.ofMinutes(1));
            for (String scope : List.of("ACME", "*")) {
                List<Double> millis = new ArrayList<>();
                for (int round = 0; round < 5; round++) {
                    millis.add(replayOnce(server, hub, scope, full - 1));
                }
                Collections.sort(millis);
                System.out.printf("replay of %d ticks for %s: median %.1f ms, best %.1f ms, worst %.1f ms%n",
                        full - 1, scope.equals("*") ? "each of the 50 symbols" : "one symbol",
                        millis.get(2), millis.get(0), millis.get(4));
            }
        }
    }

    /** Subscribes with {@code since} = latest - missed for each symbol; ms until all missed ticks arrived. */
    private static double replayOnce(RunningServer server, QuoteHub hub, String scope, int missed) {
        try (TestClient client = server.connect()) {
            client.next("hello");
            JsonObjectBuilder since = Json.createObjectBuilder();
            List<String> symbols = scope.equals("*")
                    ? hub.catalog().all().stream().map(s -> s.ticker()).toList()
                    : List.of(scope);
            for (String symbol : symbols) {
                since.add(symbol, hub.latest(hub.catalog().indexOf(symbol)).orElseThrow().seq() - missed);
            }
            String request = Json.createObjectBuilder().add("action", "subscribe")
                    .add("symbols", Json.createArrayBuilder(symbols)).add("since", since).build().toString();
            long started = System.nanoTime();
            client.send(request);
            client.next("subscribed");
            for (int i = 0; i < missed * symbols.size(); i++) {
                client.next(TestClient.ofType("quote"));
            }
            return (System.nanoTime() - started) / 1e6;
        }
    }

    private static Quote sample(io.quotecast.market.Symbol symbol, long seq, long timestamp) {
        BigDecimal tick = symbol.tickSize();
        BigDecimal price = tick.multiply(BigDecimal.valueOf(10_000 + seq % 500));
        return new Quote(symbol.ticker(), price, price.subtract(tick), price.add(tick),
                price, price, price, price, BigDecimal.ZERO.setScale(tick.scale()), BigDecimal.ZERO.setScale(3),
                seq * 100, seq, timestamp);
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
