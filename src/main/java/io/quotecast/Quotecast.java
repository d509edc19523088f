package io.quotecast;

import io.quotecast.cluster.LocalFeed;
import io.quotecast.cluster.PublishingFeed;
import io.quotecast.cluster.TickListener;
import io.quotecast.cluster.TickSource;
import io.quotecast.config.Settings;
import io.quotecast.market.BarHistory;
import io.quotecast.market.Quote;
import io.quotecast.market.QuoteListener;
import io.quotecast.market.SimulatedMarket;
import io.quotecast.market.SymbolCatalog;
import io.quotecast.security.Admission;
import io.quotecast.security.TokenExpiry;
import io.quotecast.ops.Operations;
import io.quotecast.stream.CloseCode;
import io.quotecast.stream.QuoteHub;
import io.quotecast.websocket.QuoteEncoder;
import io.quotecast.websocket.SessionSinks;

import java.time.Duration;

/**
 * The application, assembled: settings, the symbol list, the tick source ({@code feed.mode}: the
 * simulated market here, or the broker of a cluster) and the fan-out hub. The standalone launcher and
 * the WAR's listener both start exactly this.
 *
 * <p>Annotated endpoints are created by the container, not by us, so they find the running
 * application here: one per class loader, which means one per standalone JVM or per deployed WAR.
 */
public final class Quotecast implements AutoCloseable {

    private static volatile Quotecast running;

    private final Settings settings;
    private final QuoteHub hub;
    private final BarHistory bars;
    private final TickSource source;
    private final SessionSinks sessionSinks;
    private final Admission admission;
    private final TokenExpiry tokenExpiry = new TokenExpiry();
    private final Operations operations;

    private Quotecast(Settings settings, SessionSinks sessionSinks) {
        this.settings = settings;
        this.sessionSinks = sessionSinks;
        // first, so that a weak secret or a missing key stops the start before any thread is running
        this.admission = Admission.from(settings);
        SymbolCatalog catalog = SymbolCatalog.load(settings.feedSymbols());
        this.hub = new QuoteHub(catalog, new QuoteEncoder(), settings.historyTicksPerSymbol(),
                Duration.ofMillis(settings.stuckTimeoutMillis()), Duration.ofMillis(settings.flushMillis()),
                settings.maxQueuedBytes());
        this.bars = new BarHistory(catalog, settings.historyBarsPerInterval());
        this.source = TickSource.from(settings, catalog);
        this.operations = new Operations(settings, hub, source.broker());
    }

    /**
     * Where every tick goes, whichever source it comes from: the feed monitor, the bars, the hub. A new
     * run of the feed after the first closes every client (1001), to resume on the new run; a lost feed
     * makes the hub's snapshots stale.
     */
    private TickListener everyTick() {
        QuoteListener feedMonitor = operations.feed();
        return new TickListener() {
            private String epoch;

            @Override
            public void onEpoch(String next) {
                if (epoch != null && !epoch.equals(next)) {
                    System.getLogger(Quotecast.class.getName()).log(System.Logger.Level.WARNING,
                            "the feed restarted (epoch {0} after {1}): closing every client, to resume on the new run", next, epoch);
                    hub.newRun(CloseCode.GOING_AWAY, "the feed restarted: resume with since and epoch");
                }
                epoch = next;
            }

            @Override
            public void onLink(boolean up) {
                hub.stale(!up);
            }

            @Override
            public void onQuote(Quote quote) {
                feedMonitor.onQuote(quote);
                bars.onQuote(quote);
                hub.onQuote(quote);
            }
        };
    }

    /** Starts the feed and makes this the running application, sending through the container ({@link SessionSinks#CONTAINER}). */
    public static Quotecast start(Settings settings) {
        return start(settings, SessionSinks.CONTAINER);
    }

    /** Starts the feed and makes this the running application; {@code sessionSinks} make each client's transport. */
    public static synchronized Quotecast start(Settings settings, SessionSinks sessionSinks) {
        if (running != null) {
            throw new IllegalStateException("Quotecast is already running in this class loader");
        }
        // Every setting, every limit included, so that an operator reads from the log what this node enforces.
        System.getLogger(Quotecast.class.getName()).log(System.Logger.Level.INFO, "Quotecast settings: {0}", settings);
        Quotecast quotecast = new Quotecast(settings, sessionSinks);
        quotecast.operations.start();
        try {
            quotecast.source.start(quotecast.everyTick());
        } catch (RuntimeException e) {
            // A broker that cannot be reached at start: nothing may keep running
            quotecast.source.close();
            quotecast.hub.close();
            quotecast.tokenExpiry.close();
            quotecast.operations.close();
            throw e;
        }
        running = quotecast;
        return quotecast;
    }

    /** The running application; endpoints bind to it. */
    public static Quotecast running() {
        Quotecast current = running;
        if (current == null) {
            throw new IllegalStateException("Quotecast is not running");
        }
        return current;
    }

    public Settings settings() {
        return settings;
    }

    public QuoteHub hub() {
        return hub;
    }

    /** The feed's run, as {@code hello} names it. */
    public String epoch() {
        return source.epoch();
    }

    public BarHistory bars() {
        return bars;
    }

    public SessionSinks sessionSinks() {
        return sessionSinks;
    }

    /** Who may connect, and as whom: asked at every handshake. */
    public Admission admission() {
        return admission;
    }

    /** Closes connections when their token expires. */
    public TokenExpiry tokenExpiry() {
        return tokenExpiry;
    }

    /** Limits, keepalive, health and metrics. */
    public Operations operations() {
        return operations;
    }

    /** The simulated feed of a local or publishing node; stopping it is how a stalled feed looks to /health. */
    public SimulatedMarket feed() {
        if (source instanceof LocalFeed local) {
            return local.market();
        }
        if (source instanceof PublishingFeed publishing) {
            return publishing.market().market();
        }
        throw new IllegalStateException("a subscribing node has no market of its own");
    }

    /** Where this node's ticks come from ({@code feed.mode}). */
    public TickSource source() {
        return source;
    }

    /** Stops the feed and sends every client close 1001. */
    @Override
    public void close() {
        synchronized (Quotecast.class) {
            if (running == this) {
                running = null;
            }
        }
        source.close();
        hub.closeAll(CloseCode.GOING_AWAY, "server shutting down");
        hub.close();
        tokenExpiry.close();
        operations.close();
    }
}
