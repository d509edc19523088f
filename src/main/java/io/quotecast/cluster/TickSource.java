package io.quotecast.cluster;

import io.quotecast.config.Settings;
import io.quotecast.market.SymbolCatalog;

import java.util.Optional;

/**
 * Where this node's ticks come from, chosen by {@code feed.mode}: the only way ticks enter the hub.
 */
public sealed interface TickSource extends AutoCloseable permits LocalFeed, PublishingFeed, BrokerFeed {

    /**
     * Starts delivering to {@code listener}. A source that needs the broker connects first and throws
     * {@link IllegalStateException}, naming the broker and the cause, if it cannot: a node with bad broker
     * settings stops at start, rather than hang or serve nothing.
     */
    void start(TickListener listener);

    /** The feed run whose {@code seq} numbers this node serves; empty before a subscriber's first tick. */
    String epoch();

    /** The link to the broker, where this node uses one. */
    Optional<BrokerLink> broker();

    /** Stops delivering; the broker connection, if any, is closed. */
    @Override
    void close();

    /** The source {@code settings} ask for, not started. */
    static TickSource from(Settings settings, SymbolCatalog catalog) {
        return switch (settings.feed().mode()) {
            case LOCAL -> new LocalFeed(catalog, settings.feed().ticksPerSecond(), settings.feed().seed());
            case PUBLISH -> new PublishingFeed(new LocalFeed(catalog, settings.feed().ticksPerSecond(), settings.feed().seed()),
                    Broker.from(settings), settings.broker().embedded());
            case SUBSCRIBE -> new BrokerFeed(catalog, Broker.from(settings));
        };
    }
}
