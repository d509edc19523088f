package io.quotecast.stream;

import io.quotecast.market.Quote;
import io.quotecast.market.QuoteListener;
import io.quotecast.market.SymbolCatalog;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;

/**
 * The fan-out: takes every tick from the feed, encodes it once, remembers it as the symbol's latest
 * quote and drops the one frame into the outbox of each subscriber. It never waits on a client.
 */
public final class QuoteHub implements QuoteListener, AutoCloseable {

    /** Marks a symbol of {@link #subscribe(Subscriber, int[], long[], String)} that resumes nothing. */
    public static final long NO_RESUME = -1;

    private static final Frame[] NOTHING = new Frame[0];

    private final SymbolCatalog catalog;
    private final QuoteFormat format;
    private final SubscriptionRegistry registry;
    private final AtomicReferenceArray<Quote> latest;
    private final List<TickBuffer> recent;
    private final ExecutorService sender;

    /** {@code ticksPerSymbol}: how many of each symbol's last ticks are kept for clients that resume. */
    public QuoteHub(SymbolCatalog catalog, QuoteFormat format, int ticksPerSymbol) {
        this.catalog = catalog;
        this.format = format;
        this.registry = new SubscriptionRegistry(catalog.size());
        this.latest = new AtomicReferenceArray<>(catalog.size());
        this.recent = Stream.generate(() -> new TickBuffer(ticksPerSymbol)).limit(catalog.size()).toList();
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
        Frame frame = new Frame(format.live(quote), symbol, quote.seq());
        // Remembered before it is fanned out: a subscribe that reads them after this point starts
        // from this tick, and the live stream takes over after it.
        latest.set(symbol, quote);
        recent.get(symbol).add(frame);
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
     * Subscribes to the symbols (catalog indexes) and queues {@code reply}, then for each symbol
     * its snapshot, then its live quotes.
     */
    public void subscribe(Subscriber subscriber, int[] symbols, String reply) {
        long[] noResume = new long[symbols.length];
        Arrays.fill(noResume, NO_RESUME);
        subscribe(subscriber, symbols, noResume, reply);
    }

    /**
     * Like {@link #subscribe(Subscriber, int[], String)}, but a symbol with a last seen
     * {@code since[i] >= 0} resumes: every buffered tick after it, in order, then live quotes; or,
     * when those ticks are no longer all buffered, the snapshot marked as a gap.
     */
    public void subscribe(Subscriber subscriber, int[] symbols, long[] since, String reply) {
        for (int symbol : symbols) {
            registry.add(symbol, subscriber);
        }
        Map<Integer, Long> resumeFrom = new HashMap<>();
        for (int i = 0; i < symbols.length; i++) {
            resumeFrom.put(symbols[i], since[i]);
        }
        subscriber.activate(symbols, reply, symbol -> firstFrames(symbol, resumeFrom.get(symbol)));
    }

    public void unsubscribe(Subscriber subscriber, int[] symbols, String reply) {
        for (int symbol : symbols) {
            registry.remove(symbol, subscriber);
        }
        subscriber.deactivate(symbols, reply);
    }

    /** Called under the subscriber's lock, so no live tick of the symbol can slip in before these. */
    private Frame[] firstFrames(int symbol, long since) {
        Quote quote = latest.get(symbol);
        if (quote == null) {
            return NOTHING;
        }
        if (since != NO_RESUME) {
            Frame[] missed = recent.get(symbol).after(since);
            if (missed != null) {
                return missed;
            }
        }
        return new Frame[] {new Frame(format.snapshot(quote, since != NO_RESUME), symbol, quote.seq())};
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
