package io.quotecast;

import io.quotecast.config.Settings;
import io.quotecast.market.BarHistory;
import io.quotecast.market.QuoteListener;
import io.quotecast.market.SimulatedMarket;
import io.quotecast.market.SymbolCatalog;
import io.quotecast.security.Admission;
import io.quotecast.security.TokenExpiry;
import io.quotecast.ops.Operations;
import io.quotecast.stream.QuoteHub;
import io.quotecast.websocket.QuoteEncoder;
import io.quotecast.websocket.SessionSinks;

import java.time.Duration;

/**
 * The application, assembled: settings, the symbol list, the simulated market and the fan-out hub.
 * The standalone launcher and the WAR's listener both start exactly this.
 *
 * <p>Annotated endpoints are created by the container, not by us, so they find the running
 * application here: one per class loader, which means one per standalone JVM or per deployed WAR.
 */
public final class Quotecast implements AutoCloseable {

    /** Close code sent to every client when the server shuts down. */
    public static final int CLOSE_GOING_AWAY = 1001;

    private static volatile Quotecast running;

    private final Settings settings;
    private final QuoteHub hub;
    private final BarHistory bars;
    private final SimulatedMarket market;
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
        this.operations = new Operations(settings, hub);
        QuoteListener feedMonitor = operations.feed();
        QuoteListener everyTick = quote -> {
            feedMonitor.onQuote(quote);
            bars.onQuote(quote);
            hub.onQuote(quote);
        };
        this.market = new SimulatedMarket(catalog, settings.feedTicksPerSecond(), settings.feedSeed(), everyTick);
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
        quotecast.market.start();
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
        return market.epoch();
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

    /** The simulated feed; stopping it is how a stalled feed looks to /health. */
    public SimulatedMarket feed() {
        return market;
    }

    /** Stops the feed and sends every client close 1001. */
    @Override
    public void close() {
        synchronized (Quotecast.class) {
            if (running == this) {
                running = null;
            }
        }
        market.close();
        hub.closeAll(CLOSE_GOING_AWAY, "server shutting down");
        hub.close();
        tokenExpiry.close();
        operations.close();
    }
}
