package io.quotecast.ops;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quotecast.cluster.BrokerLink;
import io.quotecast.config.Settings;
import io.quotecast.stream.FrameSink;
import io.quotecast.stream.QuoteHub;
import io.quotecast.stream.Subscriber;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The operations side of one running application, assembled from settings: admission limits, the
 * client address rule, keepalive, the feed monitor, /health, and (with {@code metrics.enabled}) a
 * Prometheus registry of its own. One timer thread, {@code quotecast-keepalive}, sweeps keepalive
 * and forgets quiet addresses.
 */
public final class Operations implements AutoCloseable {

    private final Settings settings;
    private final ConnectionLimits limits;
    private final ClientAddress addresses;
    private final FeedMonitor feed;
    private final Health health;
    private final Keepalive keepalive;
    private final LongAdder rateLimited = new LongAdder();
    private final Traffic traffic;
    private final PrometheusMeterRegistry prometheus;
    private final QuotecastMetrics metrics;
    private ScheduledExecutorService timer;

    /** {@code broker}: the node's link to the broker, where its feed mode uses one. */
    public Operations(Settings settings, QuoteHub hub, Optional<BrokerLink> broker) {
        this.settings = settings;
        this.limits = new ConnectionLimits(settings.server().maxConnections(), settings.server().maxConnectionsPerAddress(),
                settings.server().maxHandshakesPerAddressPerSecond());
        this.addresses = new ClientAddress(settings.server().trustedProxies());
        logBudget(settings);
        // A slow feed ticks a symbol now and then: never call it stalled before three of its intervals.
        long maxTickAge = Math.max(TimeUnit.SECONDS.toNanos(settings.monitoring().healthMaxTickAgeSeconds()),
                (long) (3e9 / settings.feed().ticksPerSecond()));
        this.feed = new FeedMonitor(maxTickAge, System::nanoTime, System::currentTimeMillis);
        this.health = new Health(feed, limits::open, settings.server().maxConnections(), broker);
        this.keepalive = new Keepalive(TimeUnit.SECONDS.toNanos(settings.connection().pingSeconds()),
                TimeUnit.SECONDS.toNanos(settings.connection().pongTimeoutSeconds()),
                TimeUnit.SECONDS.toNanos(settings.connection().unsubscribedIdleSeconds()), System::nanoTime);
        if (settings.monitoring().metricsEnabled()) {
            this.traffic = new Traffic();
            this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            this.metrics = new QuotecastMetrics(prometheus, hub, limits, traffic, feed, rateLimited, keepalive);
            broker.ifPresent(metrics::broker);
        } else {
            this.traffic = null;
            this.prometheus = null;
            this.metrics = null;
        }
    }

    /** The connection limit and where it came from, once at start; a warning where the kernel would refuse first. */
    private static void logBudget(Settings settings) {
        System.Logger log = System.getLogger(Operations.class.getName());
        log.log(System.Logger.Level.INFO, "connection limit: " + settings.server().connectionBudget().describe());
        settings.server().connectionBudget().warning().ifPresent(warning -> log.log(System.Logger.Level.WARNING, warning));
    }

    /** Starts the keepalive sweep. */
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "quotecast-keepalive");
            thread.setDaemon(true);
            return thread;
        });
        // Often enough that a ping or a close is late by a fraction of the shortest period at most.
        long period = Math.max(50, Math.min(1_000,
                TimeUnit.SECONDS.toMillis(Math.min(settings.connection().pingSeconds(), settings.connection().pongTimeoutSeconds())) / 4));
        timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            keepalive.sweep();
            limits.sweep(System.nanoTime());
        } catch (RuntimeException e) {
            // An exception would cancel the sweep for good.
            System.getLogger(Operations.class.getName()).log(System.Logger.Level.ERROR, "keepalive sweep failed", e);
        }
    }

    public ConnectionLimits limits() {
        return limits;
    }

    public ClientAddress addresses() {
        return addresses;
    }

    public FeedMonitor feed() {
        return feed;
    }

    public Health health() {
        return health;
    }

    public Keepalive keepalive() {
        return keepalive;
    }

    /** The connection's sink, counting what it sends. */
    public CountingSink counting(FrameSink sink) {
        return new CountingSink(sink, traffic);
    }

    /** A connection opened; its frames take the named write path. */
    public void opened(String writePath) {
        if (metrics != null) {
            metrics.opened(writePath);
        }
    }

    /** A client message was refused with {@code rate_limited}. */
    public void rateLimited() {
        rateLimited.increment();
    }

    /** A connection closed with {@code code}; {@code subscriber} is null if it never got one. */
    public void closed(int code, Subscriber subscriber) {
        if (metrics != null) {
            metrics.closed(code, subscriber);
        }
    }

    /** The Prometheus registry, where metrics are enabled. */
    public Optional<PrometheusMeterRegistry> prometheus() {
        return Optional.ofNullable(prometheus);
    }

    /** The Prometheus text format's content type, as {@link PrometheusMeterRegistry#scrape()} writes it. */
    public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
