package io.quotecast.client;

import io.quotecast.stream.QuoteHub;
import io.quotecast.testing.DroppingProxy;
import io.quotecast.testing.Eventually;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.RunningServer;
import io.quotecast.testing.Tokens;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java client against a real server, through a proxy that drops its connections. */
@RealParts
class ClientThroughDropsTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void acrossRepeatedDropsEverySeqArrivesOnceInOrder() {
        try (RunningServer server = RunningServer.start("feed.ticksPerSecond", "2000");
             DroppingProxy proxy = new DroppingProxy(server.port())) {
            Recorder app = new Recorder();
            try (QuotecastClient client = fastRetries(QuotecastClient.builder(proxy.stream())).listener(app).connect()) {
                client.subscribe("ACME", "GLOBX");
                for (int drop = 0; drop < 5; drop++) {
                    int seen = app.ticks("ACME").size();
                    Eventually.await("ticks flow before drop " + drop, () -> app.ticks("ACME").size() > seen + 20, LONG);
                    proxy.dropAll();
                }
                long target = latestSeq(server, "ACME") + 20;
                Eventually.await("the client catches up after the last drop", () -> app.last("ACME") >= target, LONG);
            }
            assertTrue(app.reconnects.get() >= 5, "the drops were seen: " + app.reconnects);
            for (String symbol : List.of("ACME", "GLOBX")) {
                List<Long> seqs = app.ticks(symbol);
                for (int i = 1; i < seqs.size(); i++) {
                    assertEquals(seqs.get(i - 1) + 1, seqs.get(i), symbol + " once each, in order, at " + i);
                }
            }
            assertEquals(List.of(), app.gaps, "the server held every missed tick");
        }
    }

    @Test
    void acrossAServerRestartTheApplicationIsToldOfTheNewEpochAndTheGap() {
        Recorder app = new Recorder();
        RunningServer first = RunningServer.start("feed.ticksPerSecond", "500");
        try (DroppingProxy proxy = new DroppingProxy(first.port());
             QuotecastClient client = fastRetries(QuotecastClient.builder(proxy.stream())).listener(app).connect()) {
            client.subscribe("ACME");
            Eventually.await("ticks of the first run", () -> app.ticks("ACME").size() > 10, LONG);
            String firstEpoch = first.server().quotecast().epoch();
            first.close();
            try (RunningServer second = RunningServer.start("feed.ticksPerSecond", "500")) {
                proxy.upstream(second.port());
                Eventually.await("the new epoch is told", () -> !app.epochs.isEmpty(), LONG);
                Eventually.await("the gap is told", () -> !app.gaps.isEmpty(), LONG);
                assertEquals(firstEpoch + " -> " + second.server().quotecast().epoch(), app.epochs.get(0));
                assertTrue(app.gaps.get(0).startsWith("ACME after "), app.gaps.toString());
                long resumedAt = app.last("ACME");
                Eventually.await("live ticks of the new run follow", () -> app.last("ACME") > resumedAt + 5, LONG);
            }
        } finally {
            first.close();
        }
    }

    @Test
    void aRefusedTokenStopsRetrying() {
        try (RunningServer server = RunningServer.start(Tokens.settings("required"));
             DroppingProxy proxy = new DroppingProxy(server.port())) {
            Recorder app = new Recorder();
            AtomicInteger asked = new AtomicInteger();
            try (QuotecastClient client = fastRetries(QuotecastClient.builder(proxy.stream())).listener(app)
                    .tokens(() -> {
                        asked.incrementAndGet();
                        return Tokens.badlySigned("ann");
                    }).connect()) {
                Eventually.await("the client stops", () -> app.stopped.size() == 1, LONG);
            }
            Disconnect why = app.stopped.get(0);
            assertTrue(why.httpStatus() == 401 || why.code() == 1008, why.toString());
            assertEquals(0, app.reconnects.get(), "no retry");
            assertEquals(2, asked.get(), "the token it connected with, then once more for another one, which was the same");
            assertEquals(1, proxy.accepted(), "one connection");
        }
    }

    @Test
    void tokensAreRefreshedBeforeTheyExpire() {
        try (RunningServer server = RunningServer.start(Tokens.settings("required"))) {
            Recorder app = new Recorder();
            // three-second tokens: the server closes with 1008 at exp unless auth came first
            try (QuotecastClient client = QuotecastClient.builder(server.stream()).listener(app)
                    .tokens(() -> Tokens.valid("ann", null, Duration.ofSeconds(3))).connect()) {
                client.subscribe("ACME");
                Eventually.await("three refreshes, past the first tokens' expiry", () -> app.authenticated.size() >= 3, LONG);
                long seen = app.last("ACME");
                Eventually.await("ticks still flow", () -> app.last("ACME") > seen + 5, LONG);
            }
            assertEquals(0, app.reconnects.get(), "never dropped for an expired token");
            assertTrue(app.stopped.size() <= 1 && (app.stopped.isEmpty() || app.stopped.get(0).code() == 1000), app.stopped.toString());
        }
    }

    private static QuotecastClient.Builder fastRetries(QuotecastClient.Builder builder) {
        return builder.backoff(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    private static long latestSeq(RunningServer server, String symbol) {
        QuoteHub hub = server.server().quotecast().hub();
        return hub.latest(hub.catalog().indexOf(symbol)).orElseThrow().seq();
    }

    /** What the application hears, safe to read from the test's thread. */
    private static final class Recorder implements StreamListener {
        private final Map<String, List<Long>> seqs = new ConcurrentHashMap<>();
        final List<String> gaps = Collections.synchronizedList(new ArrayList<>());
        final List<String> epochs = Collections.synchronizedList(new ArrayList<>());
        final List<Instant> authenticated = Collections.synchronizedList(new ArrayList<>());
        final List<Disconnect> stopped = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger reconnects = new AtomicInteger();

        @Override
        public void onTick(Tick tick) {
            seqs.computeIfAbsent(tick.quote().symbol(), symbol -> Collections.synchronizedList(new ArrayList<>()))
                    .add(tick.quote().seq());
        }

        @Override
        public void onGap(String symbol, long lastSeen, Tick resumedAt) {
            gaps.add(symbol + " after " + lastSeen + " at " + resumedAt.quote().seq());
        }

        @Override
        public void onEpochChanged(String previous, String current) {
            epochs.add(previous + " -> " + current);
        }

        @Override
        public void onReconnecting(Disconnect why, Duration delay) {
            reconnects.incrementAndGet();
        }

        @Override
        public void onAuthenticated(Instant expires) {
            authenticated.add(expires);
        }

        @Override
        public void onStopped(Disconnect why) {
            stopped.add(why);
        }

        List<Long> ticks(String symbol) {
            List<Long> list = seqs.getOrDefault(symbol, List.of());
            synchronized (list) {
                return List.copyOf(list);
            }
        }

        long last(String symbol) {
            List<Long> list = ticks(symbol);
            return list.isEmpty() ? 0 : list.get(list.size() - 1);
        }
    }
}
