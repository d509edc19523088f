package io.quotecast.market;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A seeded random-walk market: it prints an opening quote for every symbol, then ticks at a fixed
 * total rate, spread evenly over the symbols in round-robin. The same seed gives the same prices.
 *
 * <p>Ticks are produced on one thread and handed to one {@link QuoteListener}, which must not block,
 * in batches: every {@value #PERIOD_MICROS} microseconds the ticks that have fallen due, then
 * {@link QuoteListener#onBatchEnd}.
 */
public final class SimulatedMarket implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SimulatedMarket.class.getName());
    /** How often the feed thread wakes up; each wake-up prints the ticks that have fallen due. */
    private static final long PERIOD_MICROS = 2_000;
    /** After a stall (GC, a suspended laptop) catch up at most this much time, rather than bursting. */
    private static final double MAX_CATCH_UP_SECONDS = 0.25;

    private final SymbolCatalog catalog;
    private final double ticksPerSecond;
    private final QuoteListener listener;
    private final LongSupplier clock;
    private final SplittableRandom random;
    private final String epoch;
    private final List<SimulatedSymbol> symbols = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    private long startNanos;
    private long ticksProduced;
    private int nextSymbol;

    public SimulatedMarket(SymbolCatalog catalog, double ticksPerSecond, long seed, QuoteListener listener) {
        this.catalog = Objects.requireNonNull(catalog);
        this.ticksPerSecond = ticksPerSecond;
        this.listener = Objects.requireNonNull(listener);
        this.clock = System::currentTimeMillis;
        this.random = new SplittableRandom(seed);
        // Not from the seed: a restart with the same seed is a new run, whose seq numbers start over.
        this.epoch = Long.toString(clock.getAsLong(), 36) + "-"
                + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
        for (Symbol symbol : catalog.all()) {
            symbols.add(new SimulatedSymbol(symbol, random));
        }
    }

    /**
     * The name of this run of the feed: {@code seq} numbers compare only within one epoch, so a
     * client resuming with numbers of another run is told it has a gap.
     */
    public String epoch() {
        return epoch;
    }

    /** Prints the opening quotes (so every symbol has a price at once), then starts ticking. */
    public synchronized void start() {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        long now = clock.getAsLong();
        for (SimulatedSymbol symbol : symbols) {
            listener.onQuote(symbol.open(random, now));
        }
        listener.onBatchEnd();
        startNanos = System.nanoTime();
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "quotecast-feed");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(this::printDueTicks, PERIOD_MICROS, PERIOD_MICROS, TimeUnit.MICROSECONDS);
    }

    /** Stops ticking and waits (briefly) for the feed thread to finish its current batch. */
    @Override
    public void close() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = scheduler;
            scheduler = null;
        }
        if (running == null) {
            return;
        }
        running.shutdownNow();
        try {
            if (!running.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "feed thread did not stop within 2 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void printDueTicks() {
        try {
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            long due = (long) (elapsed * ticksPerSecond) - ticksProduced;
            long maxBurst = Math.max(1, (long) (ticksPerSecond * MAX_CATCH_UP_SECONDS));
            if (due > maxBurst) {
                ticksProduced += due - maxBurst; // those ticks are skipped, not owed
                due = maxBurst;
            }
            long now = clock.getAsLong();
            for (long i = 0; i < due && !Thread.currentThread().isInterrupted(); i++) {
                SimulatedSymbol symbol = symbols.get(nextSymbol);
                nextSymbol = (nextSymbol + 1) % symbols.size();
                ticksProduced++;
                listener.onQuote(symbol.next(random, now));
            }
            if (due > 0) {
                listener.onBatchEnd();
            }
        } catch (RuntimeException e) {
            // An exception would silently cancel the schedule; a feed that stops ticking is worse.
            LOG.log(System.Logger.Level.ERROR, "feed listener failed; the feed goes on", e);
        }
    }
}
