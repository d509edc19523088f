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
import io.quotecast.stream.QuoteFormat;
import io.quotecast.stream.QuoteHub;

import java.time.Duration;

/**
 * The application, assembled: settings, the symbol list, the tick source ({@code feed.mode}: the
 * simulated market here, or the broker of a cluster) and the fan-out hub. The standalone launcher and
 * the WAR's listener both start exactly this, and hand it to the quote stream's endpoint
 * configuration ({@code websocket.QuoteEndpoint.config}) themselves: nothing finds it through a
 * static, and it depends on no transport package. What is the wire's business comes in from them,
 * as the stream's interfaces: the quote frames' {@link QuoteFormat}.
 */
public final class Quotecast implements AutoCloseable {

    private final Settings settings;
    private final QuoteHub hub;
    private final BarHistory bars;
    private final TickSource source;
    private final Admission admission;
    private final TokenExpiry tokenExpiry = new TokenExpiry();
    private final Operations operations;

    private Quotecast(Settings settings, QuoteFormat format, boolean containerWrites) {
        this.settings = settings;
        // first, so that a weak secret or a missing key stops the start before any thread is running
        this.admission = Admission.from(settings);
        SymbolCatalog catalog = SymbolCatalog.load(settings.feed().symbols());
        this.hub = new QuoteHub(catalog, format, settings.history().ticksPerSymbol(),
                Duration.ofMillis(settings.connection().stuckTimeoutMillis()), Duration.ofMillis(settings.connection().flushMillis(containerWrites)),
                settings.connection().maxQueuedBytes());
        this.bars = new BarHistory(catalog, settings.history().barsPerInterval());
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

            @Override
            public void onBatchEnd() {
                hub.onBatchEnd();
            }
        };
    }

    /** Starts the feed; quote frames are written in {@code format} (the protocol's JSON: {@code websocket.QuoteEncoder}). */
    public static Quotecast start(Settings settings, QuoteFormat format) {
        return start(settings, format, false);
    }

    /**
     * The same, for a deployment whose quotes are written by a container's WebSocket stack
     * ({@code containerWrites}: a WAR, or the portable path): its gathering window is
     * {@code connection.containerFlushMillis}.
     */
    public static Quotecast start(Settings settings, QuoteFormat format, boolean containerWrites) {
        // Every setting, every limit included, so that an operator reads from the log what this node enforces.
        System.getLogger(Quotecast.class.getName()).log(System.Logger.Level.INFO, "Quotecast settings: {0}", settings);
        Quotecast quotecast = new Quotecast(settings, format, containerWrites);
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
        return quotecast;
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
        source.close();
        hub.closeAll(CloseCode.GOING_AWAY, "server shutting down");
        hub.close();
        tokenExpiry.close();
        operations.close();
    }
}
