package io.quotecast.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.quotecast.cluster.BrokerLink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.quotecast.stream.QuoteHub;
import io.quotecast.stream.Subscriber;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Quotecast's meters, bound to a registry it is given. Nothing here is touched per quote: the meters
 * read counts kept elsewhere ({@link Traffic}, {@link ConnectionLimits}, {@link FeedMonitor}, each
 * {@link Subscriber}) when the registry is scraped. Names become {@code quotecast_*} in Prometheus.
 */
public final class QuotecastMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** Conflated quotes of connections already closed: their subscribers are gone from the hub. */
    private final LongAdder conflatedOfClosed = new LongAdder();
    /** Held here: meters keep only weak references to what they read. */
    private final LongSupplier conflated;

    public QuotecastMetrics(MeterRegistry registry, QuoteHub hub, ConnectionLimits limits, Traffic traffic,
                            FeedMonitor feed, LongAdder rateLimited, Keepalive keepalive) {
        this.registry = registry;
        this.conflated = monotonic(() -> conflatedOfClosed.sum() + conflated(hub));
        Gauge.builder("quotecast.connections.open", limits, ConnectionLimits::open)
                .description("WebSocket connections open now").register(registry);
        FunctionCounter.builder("quotecast.connections.accepted", limits, ConnectionLimits::accepted)
                .description("connections admitted since the start").register(registry);
        for (ConnectionLimits.Reason reason : ConnectionLimits.Reason.values()) {
            FunctionCounter.builder("quotecast.connections.refused", limits, l -> l.refused(reason))
                    .tag("reason", reason.tag())
                    .description("connections refused (closed with 1013) since the start, by the limit they hit")
                    .register(registry);
        }
        Gauge.builder("quotecast.subscriptions", hub, QuotecastMetrics::subscriptions)
                .description("symbol subscriptions over all connections").register(registry);
        FunctionCounter.builder("quotecast.quotes.sent", traffic, Traffic::quotes)
                .description("quote frames handed to the transport").register(registry);
        FunctionCounter.builder("quotecast.frames.sent", traffic, Traffic::frames)
                .description("frames of any kind (quotes, replies) handed to the transport").register(registry);
        FunctionCounter.builder("quotecast.bytes.sent", traffic, Traffic::bytes)
                .description("payload bytes handed to the transport").register(registry);
        FunctionCounter.builder("quotecast.quotes.conflated", conflated, LongSupplier::getAsLong)
                .description("live quotes replaced by a newer one of the same symbol before they were sent").register(registry);
        Gauge.builder("quotecast.frames.queued", hub, QuotecastMetrics::framesQueued)
                .description("frames waiting in outboxes now").register(registry);
        FunctionCounter.builder("quotecast.messages.rate.limited", rateLimited, LongAdder::sum)
                .description("client messages refused with rate_limited").register(registry);
        FunctionCounter.builder("quotecast.keepalive.pings", keepalive, Keepalive::pingsSent)
                .description("keepalive pings sent").register(registry);
        // 1001 also counts shutdowns and 1000 normal closes: these say which were the keepalive's doing.
        FunctionCounter.builder("quotecast.keepalive.closes", keepalive, Keepalive::closedNoPong).tag("reason", "no_pong")
                .description("connections closed by keepalive: no pong in time, or idle without a subscription")
                .register(registry);
        FunctionCounter.builder("quotecast.keepalive.closes", keepalive, Keepalive::closedIdle).tag("reason", "idle")
                .description("connections closed by keepalive: no pong in time, or idle without a subscription")
                .register(registry);
        FunctionCounter.builder("quotecast.feed.ticks", feed, FeedMonitor::ticks)
                .description("ticks the hub received from the feed").register(registry);
        Gauge.builder("quotecast.feed.lag", feed, f -> f.lastLagMillis() / 1000.0).baseUnit("seconds")
                .description("the last tick's age when the hub received it").register(registry);
        Gauge.builder("quotecast.feed.last.tick.age", feed, f -> f.lastTickAgeNanos() / 1e9).baseUnit("seconds")
                .description("time since the last tick arrived").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * The node's broker (a publishing or subscribing node): {@code quotecast_broker_up} 1 or 0, reconnects
     * and, on the publisher, ticks it could not publish.
     */
    public void broker(BrokerLink link) {
        Gauge.builder("quotecast.broker.up", link, l -> l.up() ? 1 : 0).tag("role", link.role())
                .description("1 while the node is connected to its broker, 0 while it is not").register(registry);
        FunctionCounter.builder("quotecast.broker.connects", link, BrokerLink::connects).tag("role", link.role())
                .description("connections made to the broker since the start (more than one: the node reconnected)").register(registry);
        FunctionCounter.builder("quotecast.broker.ticks.dropped", link, BrokerLink::ticksDropped).tag("role", link.role())
                .description("publisher: ticks not published because the broker was away or behind").register(registry);
    }

    /** A connection opened on the named write path ({@code portable}, or a container's accelerated one). */
    public void opened(String writePath) {
        Counter.builder("quotecast.connections.write.path").tag("path", writePath)
                .description("connections opened, by the write path their frames took").register(registry).increment();
    }

    /** A connection closed: count its close code, and keep its conflated quotes in the total. */
    public void closed(int code, Subscriber subscriber) {
        Counter.builder("quotecast.closes").tag("code", Integer.toString(code))
                .description("connections closed, by WebSocket close code").register(registry).increment();
        if (subscriber != null) {
            conflatedOfClosed.add(subscriber.quotesConflated());
        }
    }

    private static double subscriptions(QuoteHub hub) {
        long total = 0;
        for (int symbol = 0; symbol < hub.catalog().size(); symbol++) {
            total += hub.registry().subscriberCount(symbol);
        }
        return total;
    }

    private static double framesQueued(QuoteHub hub) {
        long total = 0;
        for (Subscriber subscriber : hub.registry().connections()) {
            total += subscriber.framesWaiting();
        }
        return total;
    }

    private static long conflated(QuoteHub hub) {
        long total = 0;
        for (Subscriber subscriber : hub.registry().connections()) {
            total += subscriber.quotesConflated();
        }
        return total;
    }

    /**
     * A counter read from live and closed connections can dip for an instant while one moves from the
     * first to the second; a counter must never go down, so it reports the highest value seen.
     */
    private static LongSupplier monotonic(LongSupplier total) {
        AtomicLong highest = new AtomicLong();
        return () -> highest.accumulateAndGet(total.getAsLong(), Math::max);
    }

    /** Unhooks the GC listeners from the JVM: on an application server the JVM outlives the WAR. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
