package io.quotecast.stream;

import io.quotecast.market.Quote;
import io.quotecast.market.QuoteListener;
import io.quotecast.market.SymbolCatalog;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;

/**
 * The fan-out: takes every tick from the feed, encodes it once, remembers it as the symbol's latest
 * quote and drops the one frame into the outbox of each subscriber. It never waits on a client.
 *
 * <p>Writes are gathered per feed batch: the feed hands over the ticks that fell due, then ends its
 * batch ({@link #onBatchEnd}), and only then do the outboxes that are due go out: written by the
 * feed's thread itself where the transport starts writes on any thread without waiting
 * ({@link FrameSink#startsWritesAnywhere}), else handed to the sender pool, one hand-off per sender
 * thread. Beyond the batch, a client is gathered for only where it pays: one with a write in flight
 * gets what arrives meanwhile in the write after it, and one whose last write started less than a
 * gathering window ago waits for the rest of that window, so that it gets at most one write a
 * window (on loopback or a LAN a write costs the server far more than the bytes in it). Any other
 * client's quote goes at the end of its very batch: a client whose quotes come one at a time gets
 * each at once, and no quote waits longer than a window for the ones after it.
 *
 * <p>Besides the sender pool it has one timer thread, shared by every connection: it backs up batch
 * ends (a feed that stopped between a tick and its batch's end), releases quotes paced by
 * {@code maxRate} when their time comes, and closes clients stuck with a frame in flight for longer
 * than the stuck timeout ({@link CloseCode#POLICY}).
 */
public final class QuoteHub implements QuoteListener, AutoCloseable {

    /** A symbol that resumes nothing: it starts from its snapshot. */
    private static final long NO_RESUME = -1;
    /**
     * A last seen seq of another feed run (epoch): it names no tick of this one, so the symbol
     * starts from its snapshot marked as a gap.
     */
    public static final long SEQ_OF_ANOTHER_RUN = Long.MAX_VALUE;

    private static final Frame[] NOTHING = new Frame[0];

    private final SymbolCatalog catalog;
    private final QuoteFormat format;
    private final SubscriptionRegistry registry;
    private final AtomicReferenceArray<Quote> latest;
    private final List<TickBuffer> recent;
    private final FrameLog log;
    private static final System.Logger LOG = System.getLogger(QuoteHub.class.getName());

    private final HubThreads threads;
    private final Scheduler timer;
    private final long stuckTimeoutNanos;
    private final long sweepNanos;
    private final long windowNanos;
    private final long maxQueuedBytes;
    private volatile boolean stale;
    /** How long after a window the timer makes sure that what waited for a batch end has gone out. */
    private static final long BACKSTOP_NANOS = Duration.ofMillis(5).toNanos();
    /** Outboxes waiting for a batch end, with when each is due (parallel arrays); feed thread and timer. */
    private final Object gatherLock = new Object();
    private Subscriber[] waiting = new Subscriber[64];
    private long[] waitingDue = new long[64];
    private int waitingCount;
    private boolean backstopArmed;

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
        this.latest = new AtomicReferenceArray<>(catalog.size());
        this.recent = Stream.generate(() -> new TickBuffer(ticksPerSymbol)).limit(catalog.size()).toList();
        this.log = new FrameLog(catalog.size());
        this.threads = threads;
        this.timer = threads.timer;
        this.stuckTimeoutNanos = stuckTimeout.toNanos();
        this.windowNanos = gatherWindow.toNanos();
        this.maxQueuedBytes = maxQueuedBytes;
        this.sweepNanos = Duration.ofMillis(Math.max(5, Math.min(1_000, stuckTimeout.toMillis() / 4))).toNanos();
        timer.schedule(this::closeStuck, sweepNanos);
    }

    /**
     * On the timer, every quarter of the stuck timeout (5 ms to 1 s): closes every client whose
     * write has been in flight longer than the stuck timeout.
     */
    private void closeStuck() {
        try {
            long now = timer.nanoTime();
            for (Subscriber subscriber : registry.openConnections()) {
                long stuck = subscriber.stuckFor(now);
                if (stuck > stuckTimeoutNanos) {
                    LOG.log(System.Logger.Level.INFO, "closing a client stuck for {0} ms", stuck / 1_000_000);
                    registry.disconnect(subscriber);
                    // On a sender thread: the timer paces everyone else and must not wait on a transport.
                    threads.sender.execute(() -> subscriber.close(CloseCode.POLICY,
                            "not reading: a frame in flight for over " + stuckTimeoutNanos / 1_000_000 + " ms"));
                }
            }
        } catch (RuntimeException e) {
            // The sweep must go on after one failure.
            LOG.log(System.Logger.Level.ERROR, "stuck-client sweep failed", e);
        }
        timer.schedule(this::closeStuck, sweepNanos);
    }

    @Override
    public void onQuote(Quote quote) {
        int symbol = catalog.indexOf(quote.symbol());
        // A tick that does not follow the last one (a subscribing node lost the broker for a while) is
        // handed to every subscriber as a snapshot marked as a gap: seq jumps, never silently. The ticks
        // kept for resuming start over from it, since those before it are no longer all there.
        Quote previous = latest.get(symbol);
        boolean gap = previous != null && quote.seq() != previous.seq() + 1;
        Frame frame = log.append(gap ? format.snapshot(quote, true) : format.live(quote), symbol, quote.seq());
        // Remembered before it is fanned out: a subscribe that reads them after this point starts
        // from this tick, and the live stream takes over after it.
        latest.set(symbol, quote);
        TickBuffer ring = recent.get(symbol);
        if (gap) {
            ring.clear();
            ring.add(new Frame(format.live(quote), symbol, quote.seq()));
        } else {
            ring.add(frame);
        }
        // Outboxes that were idle must be drained; rather than one hand-off each to a sender thread,
        // they are drained together (drainAll). The list is young and short-lived on
        // purpose: a reused one would be old, and every store into it a card mark (see FrameLog).
        List<Subscriber> subscribers = registry.subscribers(symbol);
        Subscriber[] later = null;
        Subscriber[] direct = null;
        long[] laterDue = null;
        int laterCount = 0;
        int directCount = 0;
        long now = timer.nanoTime();
        for (Subscriber subscriber : subscribers) {
            Subscriber.Wake wake = subscriber.accept(frame, now, windowNanos);
            switch (wake) {
                case NOW -> direct = append(direct, directCount++, subscriber, subscribers.size());
                case BATCH_END, WINDOW_END -> {
                    if (laterDue == null || laterCount == laterDue.length) {
                        laterDue = laterDue == null ? new long[Math.max(16, subscribers.size())] : Arrays.copyOf(laterDue, laterCount * 2);
                    }
                    laterDue[laterCount] = wake == Subscriber.Wake.WINDOW_END ? subscriber.windowEnd() : now;
                    later = append(later, laterCount++, subscriber, subscribers.size());
                }
                case NONE -> { }
            }
        }
        if (directCount > 0) {
            drainAll(direct, directCount);
        }
        if (laterCount > 0) {
            gather(later, laterDue, laterCount);
        }
    }

    /**
     * The feed's batch is over: every waiting outbox that is due is drained (see {@link #drainAll}).
     * Those of busy clients whose window has not ended wait for a later batch end, so that one write
     * carries every quote of the window. On the feed's thread.
     */
    @Override
    public void onBatchEnd() {
        drainDue(timer.nanoTime());
    }

    private static Subscriber[] append(Subscriber[] array, int count, Subscriber subscriber, int sizeHint) {
        if (array == null) {
            array = new Subscriber[Math.max(16, sizeHint)];
        } else if (count == array.length) {
            array = Arrays.copyOf(array, count * 2);
        }
        array[count] = subscriber;
        return array;
    }

    /**
     * Adds outboxes, each with when it is due, to those waiting for a batch end. The first to wait
     * arms the timer as a backstop, for a feed that would stop between a tick and its batch end.
     */
    private void gather(Subscriber[] ready, long[] due, int count) {
        synchronized (gatherLock) {
            if (waitingCount + count > waiting.length) {
                int size = Math.max(2 * waiting.length, waitingCount + count);
                waiting = Arrays.copyOf(waiting, size);
                waitingDue = Arrays.copyOf(waitingDue, size);
            }
            System.arraycopy(ready, 0, waiting, waitingCount, count);
            System.arraycopy(due, 0, waitingDue, waitingCount, count);
            waitingCount += count;
            if (!backstopArmed) {
                backstopArmed = true;
                timer.schedule(this::backstop, windowNanos + BACKSTOP_NANOS);
            }
        }
    }

    /**
     * On the timer: drains what a batch end should have, and stays armed while outboxes wait. Only
     * outboxes overdue by the backstop's margin: a running feed ends a batch every few milliseconds
     * and writes those that just fell due itself, where the timer writing them would take them from
     * the feed's thread (at load A on WildFly, 4 to 8 % of the server's CPU went to the timer's
     * writes, each client's objects then moving between two cores' caches).
     */
    private void backstop() {
        drainDue(timer.nanoTime() - BACKSTOP_NANOS);
        synchronized (gatherLock) {
            if (waitingCount == 0) {
                backstopArmed = false;
            } else {
                timer.schedule(this::backstop, windowNanos + BACKSTOP_NANOS);
            }
        }
    }

    /** Drains every waiting outbox due by {@code nowNanos}; the rest wait on. */
    private void drainDue(long nowNanos) {
        Subscriber[] ready = null;
        int readyCount = 0;
        synchronized (gatherLock) {
            int kept = 0;
            for (int i = 0; i < waitingCount; i++) {
                if (waitingDue[i] - nowNanos <= 0) {
                    ready = append(ready, readyCount++, waiting[i], waitingCount);
                } else {
                    waiting[kept] = waiting[i];
                    waitingDue[kept] = waitingDue[i];
                    kept++;
                }
            }
            Arrays.fill(waiting, kept, waitingCount, null);
            waitingCount = kept;
        }
        if (readyCount > 0) {
            drainAll(ready, readyCount);
        }
    }

    /**
     * Runs the drains claimed for these outboxes: here, where the transport starts its writes on any
     * thread without waiting, the rest split into one hand-off per sender thread.
     */
    private void drainAll(Subscriber[] ready, int count) {
        int left = 0;
        for (int i = 0; i < count; i++) {
            Subscriber subscriber = ready[i];
            if (subscriber.drainsOnTheFeed()) {
                drainQuietly(subscriber);
            } else {
                ready[left++] = subscriber;
            }
        }
        count = left;
        if (count == 0) {
            return;
        }
        int shares = Math.min(threads.senders, count);
        for (int s = 0; s < shares; s++) {
            int from = (int) ((long) count * s / shares);
            int to = (int) ((long) count * (s + 1) / shares);
            Subscriber[] share = Arrays.copyOfRange(ready, from, to);
            threads.sender.execute(() -> {
                for (Subscriber subscriber : share) {
                    drainQuietly(subscriber);
                }
            });
        }
    }

    /** Drains one outbox; one broken outbox must not starve the others drained after it. */
    private static void drainQuietly(Subscriber subscriber) {
        try {
            subscriber.drain();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "sending to a client failed", e);
        }
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
        for (int symbol = 0; symbol < catalog.size(); symbol++) {
            latest.set(symbol, null);
            recent.get(symbol).clear();
        }
        closeAll(code, reason);
    }

    /** A new connection, with nothing subscribed yet. */
    public Subscriber connect(FrameSink sink) {
        Subscriber subscriber = new Subscriber(catalog.size(), sink, log, threads.sender, timer, maxQueuedBytes);
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
                (symbol, budgetChars) -> firstFrames(symbol, since.getOrDefault(symbol, NO_RESUME), budgetChars));
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

    /**
     * The snapshot, or the ticks after {@code since} when they are all buffered and their characters
     * fit {@code budgetChars} (else a gap snapshot: the client is told it missed some). Called under
     * the subscriber's lock, so no live tick of the symbol can slip in before these.
     */
    private Subscriber.Start firstFrames(int symbol, long since, long budgetChars) {
        Quote quote = latest.get(symbol);
        if (quote == null) {
            return new Subscriber.Start(0, NOTHING);
        }
        if (since != NO_RESUME) {
            Frame[] missed = recent.get(symbol).after(since);
            if (missed != null && charsOf(missed) <= budgetChars) {
                return new Subscriber.Start(since, missed);
            }
        }
        return new Subscriber.Start(quote.seq() - 1,
                new Frame[] {new Frame(format.snapshot(quote, since != NO_RESUME, stale), symbol, quote.seq())});
    }

    private static long charsOf(Frame[] frames) {
        long chars = 0;
        for (Frame frame : frames) {
            chars += frame.text().length();
        }
        return chars;
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

    /** Closes every connection with the given code, e.g. {@link CloseCode#GOING_AWAY} when the server shuts down. */
    public void closeAll(CloseCode code, String reason) {
        registry.connections().forEach(subscriber -> subscriber.close(code, reason));
    }

    @Override
    public void close() {
        threads.close();
    }
}
