package io.quotecast.bench;

import io.quotecast.config.Settings;
import io.quotecast.market.Quote;
import io.quotecast.market.SimulatedMarket;
import io.quotecast.market.SymbolCatalog;
import io.quotecast.websocket.QuoteEncoder;
import jakarta.websocket.Session;

import java.util.Set;

/**
 * The textbook ticker's feed: the same simulated market as Quotecast (same settings, same seed),
 * and for every tick the JSON built once, then {@code getAsyncRemote().sendText(json)} for every
 * open session subscribed to its symbol, as {@code dukeetf2} does. No conflation, no bound on what
 * waits for a slow client, no gathering of writes: that is the fair peer, not a strawman.
 */
final class TextbookFeed implements AutoCloseable {

    private final SimulatedMarket market;

    TextbookFeed(Settings settings) {
        QuoteEncoder json = new QuoteEncoder();
        this.market = new SimulatedMarket(SymbolCatalog.load(settings.feed().symbols()), settings.feed().ticksPerSecond(),
                settings.feed().seed(), (Quote quote) -> {
                    Set<Session> sessions = TextbookEndpoint.SUBSCRIBERS.getOrDefault(quote.symbol(), Set.of());
                    if (sessions.isEmpty()) {
                        return;
                    }
                    String text = json.encode(quote);
                    for (Session session : sessions) {
                        if (session.isOpen()) {
                            session.getAsyncRemote().sendText(text);
                        }
                    }
                });
    }

    void start() {
        market.start();
    }

    @Override
    public void close() {
        market.close();
    }
}
