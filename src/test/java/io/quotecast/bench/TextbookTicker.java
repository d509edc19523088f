package io.quotecast.bench;

import io.quotecast.config.Settings;
import io.quotecast.market.Quote;
import io.quotecast.market.SimulatedMarket;
import io.quotecast.market.SymbolCatalog;
import io.quotecast.websocket.QuoteEncoder;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import org.glassfish.tyrus.server.Server;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;

/**
 * The textbook JSR 356 ticker the benchmark measures Quotecast against: the same simulated feed
 * (same settings, same seed), and for every tick, for every session subscribed to its symbol, the
 * quote encoded to JSON for that session and sent with {@code getAsyncRemote().sendText(json)}. No
 * shared encoding, no conflation, no bound on what waits for a slow client. It runs on Tyrus's own
 * Grizzly server, in its own JVM: {@code java -cp ... io.quotecast.bench.TextbookTicker}, reading
 * the same settings (server.host, server.port, feed.*) as Quotecast.
 */
public final class TextbookTicker {

    static final Map<String, Set<Session>> SUBSCRIBERS = new ConcurrentHashMap<>();

    private TextbookTicker() {
    }

    /** Subscribes in the URL only ({@code ?symbols=A,B}), which is all the benchmark needs. */
    @ServerEndpoint("/quotes")
    public static class Endpoint {

        @OnOpen
        public void open(Session session) {
            List<String> symbols = session.getRequestParameterMap().getOrDefault("symbols", List.of());
            for (String value : symbols) {
                for (String symbol : value.split(",")) {
                    SUBSCRIBERS.computeIfAbsent(symbol.strip().toUpperCase(), s -> new CopyOnWriteArraySet<>()).add(session);
                }
            }
        }

        @OnClose
        public void close(Session session) {
            SUBSCRIBERS.values().forEach(sessions -> sessions.remove(session));
        }

        @OnError
        public void error(Session session, Throwable failure) {
            // a client went away: nothing to do, onClose follows
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.load();
        SymbolCatalog catalog = SymbolCatalog.load(settings.feedSymbols());
        QuoteEncoder json = new QuoteEncoder();
        SimulatedMarket market = new SimulatedMarket(catalog, settings.feedTicksPerSecond(), settings.feedSeed(),
                (Quote quote) -> {
                    for (Session session : SUBSCRIBERS.getOrDefault(quote.symbol(), Set.of())) {
                        if (session.isOpen()) {
                            session.getAsyncRemote().sendText(json.encode(quote));
                        }
                    }
                });
        Server server = new Server(settings.serverHost(), settings.serverPort(), "/", Map.of(), Endpoint.class);
        server.start();
        market.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            market.close();
            server.stop();
            stopped.countDown();
        }));
        System.out.printf("Textbook ticker: stream ws://%s:%d/quotes%n", settings.serverHost(), server.getPort());
        stopped.await();
    }
}
