package io.quotecast.cluster;

import io.quotecast.market.Quote;
import io.quotecast.market.QuoteListener;
import io.quotecast.market.SimulatedMarket;
import io.quotecast.market.SymbolCatalog;

import java.util.Optional;

/** The simulated market in this process: today's single node, and the publisher's own feed. */
public final class LocalFeed implements TickSource {

    private final SimulatedMarket market;
    private volatile TickListener listener;

    LocalFeed(SymbolCatalog catalog, double ticksPerSecond, long seed) {
        // The market takes its listener when it is made; ours arrives at start.
        this.market = new SimulatedMarket(catalog, ticksPerSecond, seed, new QuoteListener() {
            @Override
            public void onQuote(Quote quote) {
                listener.onQuote(quote);
            }

            @Override
            public void onBatchEnd() {
                listener.onBatchEnd();
            }
        });
    }

    @Override
    public void start(TickListener listener) {
        this.listener = listener;
        listener.onEpoch(market.epoch());
        listener.onLink(true);
        market.start();
    }

    @Override
    public String epoch() {
        return market.epoch();
    }

    @Override
    public Optional<BrokerLink> broker() {
        return Optional.empty();
    }

    /** The market itself (tests stop it to see a stalled feed). */
    public SimulatedMarket market() {
        return market;
    }

    @Override
    public void close() {
        market.close();
    }
}
