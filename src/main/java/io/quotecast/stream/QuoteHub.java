package io.quotecast.stream;

import io.quotecast.market.Quote;
import io.quotecast.market.QuoteListener;
import io.quotecast.market.SymbolCatalog;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;

/**
 * The fan-out: takes every tick from the feed, encodes it once, remembers it as the symbol's latest
 * quote and drops the one frame into the outbox of each subscriber. It never waits on a client.
 *
 * <p>Besides the sender pool it has one timer thread, shared by every connection: it releases quotes
 * paced by {@code maxRate} when their time comes, and closes clients stuck with a frame in flight
 * for longer than the stuck timeout ({@link Subscriber#CLOSE_NOT_READING}).
 */
public final class QuoteHub implements QuoteListener, AutoCloseable {

    /** A symbol that resumes nothing: it starts from its snapshot. */
    private static final long NO_RESUME = -1;

    private static final Frame[] NOTHING = new Frame[0];

    private final SymbolCatalog catalog;
    private final QuoteFormat format;
    private final SubscriptionRegistry registry;
    private final AtomicReferenceArray<Quote> latest;
    private final List<TickBuffer> recent;
    private final FrameLog log;
    private static final System.Logger LOG = System.getLogger(QuoteHub.class.getName());

    private final ExecutorService sender;
    private final int senderThreads;
    private final ScheduledExecutorService timer;
    private final long stuckTimeoutNanos;

    /**
     * {@code ticksPerSymbol}: how many of each symbol's last ticks are kept for clients that resume;
     * {@code stuckTimeout}: how long a frame may be in flight before its client is closed.
     */
    public QuoteHub(SymbolCatalog catalog, QuoteFormat format, int ticksPerSymbol, Duration stuckTimeout) {
        this.catalog = catalog;
        this.format = format;
        this.registry = new SubscriptionRegistry(catalog.size());
        this.latest = new AtomicReferenceArray<>(catalog.size());
        this.recent = Stream.generate(() -> new TickBuffer(ticksPerSymbol)).limit(catalog.size()).toList();
        this.log = new FrameLog(catalog.size());
        AtomicInteger threads = new AtomicInteger();
        this.senderThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.sender = Executors.newFixedThreadPool(senderThreads, task -> {
            Thread thread = new Thread(task, "quotecast-sender-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "quotecast-timer");
            thread.setDaemon(true);
            return thread;
        });
        this.stuckTimeoutNanos = stuckTimeout.toNanos();
        long sweep = Math.max(5, Math.min(1_000, stuckTimeout.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::closeStuck, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /** Closes every client whose frame in flight has been in flight longer than the stuck timeout. */
    private void closeStuck() {
        try {
            long now = System.nanoTime();
            for (Subscriber subscriber : registry.openConnections()) {
                long stuck = subscriber.stuckFor(now);
                if (stuck > stuckTimeoutNanos) {
                    LOG.log(System.Logger.Level.INFO, "closing a client stuck for {0} ms", stuck / 1_000_000);
                    registry.disconnect(subscriber);
                    // On a sender thread: the timer paces everyone else and must not wait on a transport.
                    sender.execute(() -> subscriber.close(Subscriber.CLOSE_NOT_READING,
                            "not reading: a frame in flight for over " + stuckTimeoutNanos / 1_000_000 + " ms"));
                }
            }
        } catch (RuntimeException e) {
            // An exception would cancel the sweep for good.
            LOG.log(System.Logger.Level.ERROR, "stuck-client sweep failed", e);
        }
    }

    @Override
    public void onQuote(Quote quote) {
        int symbol = catalog.indexOf(quote.symbol());
        Frame frame = log.append(format.live(quote), symbol, quote.seq());
        // Remembered before it is fanned out: a subscribe that reads them after this point starts
        // from this tick, and the live stream takes over after it.
        latest.set(symbol, quote);
        recent.get(symbol).add(frame);
        // Outboxes that were idle must be drained on a sender thread; rather than one hand-off each,
        // they are handed over in one batch per sender thread. The list is young and short-lived on
        // purpose: a reused one would be old, and every store into it a card mark (see FrameLog).
        List<Subscriber> subscribers = registry.subscribers(symbol);
        Subscriber[] ready = null;
        int count = 0;
        for (Subscriber subscriber : subscribers) {
            if (subscriber.accept(frame)) {
                if (ready == null) {
                    ready = new Subscriber[Math.max(16, subscribers.size())];
                } else if (count == ready.length) {
                    ready = Arrays.copyOf(ready, count * 2);
                }
                ready[count++] = subscriber;
            }
        }
        if (count > 0) {
            drainAll(ready, count);
        }
    }

    private void drainAll(Subscriber[] ready, int count) {
        int batches = Math.min(senderThreads, count);
        for (int b = 0; b < batches; b++) {
            int from = (int) ((long) count * b / batches);
            int to = (int) ((long) count * (b + 1) / batches);
            Subscriber[] batch = Arrays.copyOfRange(ready, from, to);
            sender.execute(() -> {
                for (Subscriber subscriber : batch) {
                    try {
                        subscriber.drain();
                    } catch (RuntimeException e) {
                        // One broken outbox must not starve the rest of the batch.
                        LOG.log(System.Logger.Level.ERROR, "sending to a client failed", e);
                    }
                }
            });
        }
    }

    /** A new connection, with nothing subscribed yet. */
    public Subscriber connect(FrameSink sink) {
        Subscriber subscriber = new Subscriber(catalog.size(), sink, log, sender, timer);
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
        subscribe(subscriber, symbols, Map.of(), symbols, 0, reply);
    }

    /**
     * Subscribes to {@code added} as {@link #subscribe(Subscriber, int[], String)} does, except that
     * an added symbol with a last seen seq in {@code since} (by catalog index) resumes: every buffered tick after it,
     * in order, then live quotes; or, when those ticks are no longer all buffered, the snapshot
     * marked as a gap. Caps the rate of every symbol of {@code paced} (the added and those already
     * subscribed) at {@code maxRate} quotes per second; 0 means no cap.
     */
    public void subscribe(Subscriber subscriber, int[] added, Map<Integer, Long> since, int[] paced, double maxRate,
                          String reply) {
        for (int symbol : added) {
            registry.add(symbol, subscriber);
        }
        subscriber.activate(added, paced, intervalNanos(maxRate), reply,
                symbol -> firstFrames(symbol, since.getOrDefault(symbol, NO_RESUME)));
    }

    /** The least time between two quotes of a symbol at {@code maxRate} per second; 0 for no cap. */
    public static long intervalNanos(double maxRate) {
        return maxRate <= 0 ? 0 : Math.max(1, Math.round(1e9 / maxRate));
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
        registry.connections().forEach(subscriber -> subscriber.close(code, reason));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        sender.shutdown();
        try {
            sender.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
