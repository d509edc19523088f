package io.quotecast.stream;

import io.quotecast.market.Quote;
import io.quotecast.market.QuoteListener;
import io.quotecast.market.SymbolCatalog;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The fan-out's front: takes every tick from the feed, encodes it once, remembers it as the symbol's
 * latest quote and drops the one frame into the outbox of each subscriber. It never waits on a client.
 *
 * <p>Its parts, one job each: {@link SubscriptionRegistry} (who is subscribed to what),
 * {@link TickMemory} (each symbol's latest quote and last ticks, for a subscription's start),
 * {@link FanOut} (handing a frame to the outboxes and draining them, gathered per feed batch) and
 * {@link StuckSweep} (closing clients that stopped reading). They share one timer thread and the
 * sender pool ({@link HubThreads}); the timer also releases quotes paced by {@code maxRate}.
 */
public final class QuoteHub implements QuoteListener, AutoCloseable {

    /**
     * A last seen seq of another feed run (epoch): it names no tick of this one, so the symbol
     * starts from its snapshot marked as a gap.
     */
    public static final long SEQ_OF_ANOTHER_RUN = Long.MAX_VALUE;

    private final SymbolCatalog catalog;
    private final QuoteFormat format;
    private final SubscriptionRegistry registry;
    private final TickMemory memory;
    private final FrameLog log;
    private final HubThreads threads;
    private final FanOut fanOut;
    private final long maxQueuedBytes;
    private volatile boolean stale;

    /**
     * {@code ticksPerSymbol}: how many of each symbol's last ticks are kept for clients that resume;
     * {@code stuckTimeout}: how long a frame may be in flight before its client is closed;
     * {@code gatherWindow}: how long live quotes are gathered before they are written (zero: at once);
     * {@code maxQueuedBytes}: what may wait for one client before it is closed as not reading.
     * Starts its own daemon threads on the system clock.
     */
    public QuoteHub(SymbolCatalog catalog, QuoteFormat format, int ticksPerSymbol, Duration stuckTimeout,
                    Duration gatherWindow, long maxQueuedBytes) {
        this(catalog, format, ticksPerSymbol, stuckTimeout, gatherWindow, maxQueuedBytes, HubThreads.start());
    }

    /** As the public constructor, on the given threads and clock; {@link #close} closes them. */
    QuoteHub(SymbolCatalog catalog, QuoteFormat format, int ticksPerSymbol, Duration stuckTimeout,
             Duration gatherWindow, long maxQueuedBytes, HubThreads threads) {
        this.catalog = catalog;
        this.format = format;
        this.registry = new SubscriptionRegistry(catalog.size());
        this.memory = new TickMemory(catalog.size(), ticksPerSymbol, format);
        this.log = new FrameLog(catalog.size());
        this.threads = threads;
        this.fanOut = new FanOut(threads, gatherWindow);
        this.maxQueuedBytes = maxQueuedBytes;
        StuckSweep.start(registry, threads, stuckTimeout);
    }

    @Override
    public void onQuote(Quote quote) {
        int symbol = catalog.indexOf(quote.symbol());
        // A tick that does not follow the last one (a subscribing node lost the broker for a while) is
        // handed to every subscriber as a snapshot marked as a gap: seq jumps, never silently.
        Quote previous = memory.latest(symbol);
        boolean gap = previous != null && quote.seq() != previous.seq() + 1;
        Frame frame = log.append(gap ? format.snapshot(quote, true) : format.live(quote), symbol, quote.seq());
        // Remembered before it is fanned out: a subscribe that reads them after this point starts
        // from this tick, and the live stream takes over after it.
        memory.remember(symbol, quote, frame, gap);
        fanOut.deliver(frame, registry.subscribers(symbol));
    }

    /**
     * The feed's batch is over: every waiting outbox that is due is drained (see {@link FanOut}).
     * Those of clients whose window has not ended wait for a later batch end, so that one write
     * carries every quote of the window. On the feed's thread.
     */
    @Override
    public void onBatchEnd() {
        fanOut.batchEnded();
    }

    /**
     * Whether this node has lost its feed (a subscribing node whose broker is away): while it has, the
     * snapshots it answers {@code subscribe} with are marked stale.
     */
    public void stale(boolean stale) {
        this.stale = stale;
    }

    public boolean stale() {
        return stale;
    }

    /**
     * A new run of the feed (the publisher restarted): its {@code seq} numbers start over, and a client
     * connected now holds numbers of the old run, which its connection would never see again in order.
     * Every client is closed with {@code code}, to reconnect and resume with its old epoch (answered
     * with gap snapshots); the old run's quotes and buffered ticks are forgotten. Call on the feed's thread.
     */
    public void newRun(CloseCode code, String reason) {
        // Forgotten first: a client that connects meanwhile starts without a snapshot of the old run
        // (whose seq would hold back the new run's), and is closed with the others.
        memory.forget();
        closeAll(code, reason);
    }

    /** A new connection, with nothing subscribed yet. */
    public Subscriber connect(FrameSink sink) {
        Subscriber subscriber = new Subscriber(catalog.size(), sink, log, threads.sender, threads.timer, maxQueuedBytes);
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
                (symbol, budgetChars) -> memory.firstFrames(symbol, since.getOrDefault(symbol, TickMemory.NO_RESUME),
                        budgetChars, stale));
        // A disconnect that ran before this point forgot only what was subscribed when it looked:
        // a subscribe that lost the race takes its own symbols back out.
        if (!registry.isConnected(subscriber)) {
            for (int symbol : added) {
                registry.remove(symbol, subscriber);
            }
        }
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

    public Optional<Quote> latest(int symbol) {
        return Optional.ofNullable(memory.latest(symbol));
    }

    public SymbolCatalog catalog() {
        return catalog;
    }

    public SubscriptionRegistry registry() {
        return registry;
    }

    /** Closes every connection with the given code, e.g. {@link CloseCode#GOING_AWAY} when the server shuts down. */
    public void closeAll(CloseCode code, String reason) {
        registry.connections().forEach(subscriber -> subscriber.close(code, reason));
    }

    @Override
    public void close() {
        threads.close();
    }
}