package io.quotecast.stream;

import io.quotecast.market.Quote;
import io.quotecast.market.QuoteListener;
import io.quotecast.market.SymbolCatalog;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The fan-out: takes every tick from the feed, encodes it once, remembers it as the symbol's latest
 * quote and drops the one frame into the outbox of each subscriber. It never waits on a client.
 */
public final class QuoteHub implements QuoteListener, AutoCloseable {

    private static final Frame[] NOTHING = new Frame[0];

    private final SymbolCatalog catalog;
    private final QuoteFormat format;
    private final SubscriptionRegistry registry;
    private final AtomicReferenceArray<Quote> latest;
    private final ExecutorService sender;

    public QuoteHub(SymbolCatalog catalog, QuoteFormat format) {
        this.catalog = catalog;
        this.format = format;
        this.registry = new SubscriptionRegistry(catalog.size());
        this.latest = new AtomicReferenceArray<>(catalog.size());
        AtomicInteger threads = new AtomicInteger();
        this.sender = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), task -> {
            Thread thread = new Thread(task, "quotecast-sender-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void onQuote(Quote quote) {
        int symbol = catalog.indexOf(quote.symbol());
        // Latest first: a subscribe that reads it after this point gets this tick as its snapshot.
        latest.set(symbol, quote);
        Frame frame = new Frame(format.live(quote), symbol, quote.seq());
        for (Subscriber subscriber : registry.subscribers(symbol)) {
            subscriber.offer(frame);
        }
    }

    /** A new connection, with nothing subscribed yet. */
    public Subscriber connect(FrameSink sink) {
        Subscriber subscriber = new Subscriber(catalog.size(), sink, sender);
        registry.connect(subscriber);
        return subscriber;
    }

    /** The connection is gone, however it ended: forget it everywhere. */
    public void disconnect(Subscriber subscriber) {
        registry.disconnect(subscriber);
    }

    /**
     * Subscribes to the symbols (catalog indexes) and queues {@code reply}, then the snapshot of
     * each symbol, then its live quotes.
     */
    public void subscribe(Subscriber subscriber, int[] symbols, String reply) {
        for (int symbol : symbols) {
            registry.add(symbol, subscriber);
        }
        subscriber.activate(symbols, reply, this::snapshot);
    }

    public void unsubscribe(Subscriber subscriber, int[] symbols, String reply) {
        for (int symbol : symbols) {
            registry.remove(symbol, subscriber);
        }
        subscriber.deactivate(symbols, reply);
    }

    private Frame[] snapshot(int symbol) {
        Quote quote = latest.get(symbol);
        return quote == null
                ? NOTHING
                : new Frame[] {new Frame(format.snapshot(quote, false), symbol, quote.seq())};
    }

    public Optional<Quote> latest(int symbol) {
        return Optional.ofNullable(latest.get(symbol));
    }

    public SymbolCatalog catalog() {
        return catalog;
    }

    public SubscriptionRegistry registry() {
        return registry;
    }

    /** Closes every connection with the given code, e.g. 1001 when the server shuts down. */
    public void closeAll(int code, String reason) {
        List.copyOf(registry.connections()).forEach(subscriber -> subscriber.close(code, reason));
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
