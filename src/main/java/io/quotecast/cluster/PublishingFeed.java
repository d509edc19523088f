package io.quotecast.cluster;

import io.quotecast.market.Quote;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.ExceptionListener;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The publisher: this node's simulated market, serving its own clients, with every tick also published
 * to the broker, {@code seq} and {@code epoch} as the market assigned them.
 *
 * <p>The feed thread only puts the tick in a bounded queue; a thread of its own,
 * {@code quotecast-publisher}, sends. While the broker is away ticks are dropped, not queued, and counted:
 * on reconnecting the publisher first sends the latest tick of every symbol, so that the last-value queue
 * is whole at once and every subscribing node sees the ticks it missed as a jump in {@code seq}, shown
 * to its clients as a gap.
 */
public final class PublishingFeed implements TickSource {

    private static final System.Logger LOG = System.getLogger(PublishingFeed.class.getName());
    /** Ticks waiting to be sent: a few seconds of a busy feed. Beyond it the broker is not keeping up. */
    private static final int QUEUE_CAPACITY = 16_384;

    private final LocalFeed market;
    private final Broker broker;
    private final boolean embedded;
    private final BrokerLink link;
    private final long runStarted = System.currentTimeMillis();
    private final BlockingQueue<Quote> outbox = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Map<String, Quote> latest = new ConcurrentHashMap<>();
    private EmbeddedBroker embeddedBroker;
    private Thread publisher;
    private volatile boolean closed;
    private volatile boolean broken;

    PublishingFeed(LocalFeed market, Broker broker, boolean embedded) {
        this.market = market;
        this.broker = broker;
        this.embedded = embedded;
        this.link = new BrokerLink(broker.url(), "publish");
    }

    @Override
    public void start(TickListener listener) {
        if (embedded) {
            embeddedBroker = EmbeddedBroker.start(broker.url());
        }
        Connection first;
        try {
            first = broker.connectAtStart("publish");
        } catch (RuntimeException e) {
            stopEmbedded();
            throw e;
        }
        publisher = new Thread(() -> broker.keepConnected(first, this::publish, link, () -> closed,
                "publishing again once it is back"), "quotecast-publisher");
        publisher.setDaemon(true);
        publisher.start();
        market.start(new TickListener() {
            @Override
            public void onEpoch(String epoch) {
                listener.onEpoch(epoch);
            }

            @Override
            public void onLink(boolean up) {
                // the publisher's own clients are served by its market, whatever the broker does
                listener.onLink(up);
            }

            @Override
            public void onQuote(Quote quote) {
                listener.onQuote(quote);
                latest.put(quote.symbol(), quote);
                if (!outbox.offer(quote)) {
                    link.dropped(1);
                }
            }

            @Override
            public void onBatchEnd() {
                listener.onBatchEnd();
            }
        });
    }

    /** Publishes until the connection breaks or the feed closes. */
    private void publish(Connection connection) throws JMSException, ActiveMQException {
        broken = false;
        ExceptionListener onFailure = e -> broken = true;
        connection.setExceptionListener(onFailure);
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        defineLastValueQueue(session);
        MessageProducer producer = session.createProducer(session.createTopic(broker.address()));
        // A tick is worth nothing once a newer one exists: no disk, no ids, no timestamps to make.
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        producer.setDisableMessageID(true);
        producer.setDisableMessageTimestamp(true);
        String epoch = market.epoch();
        if (link.connects() > 0) {
            // Back after an outage: what was queued while the broker was away is old news, and the latest
            // tick of each symbol replaces it (at the first connection the queue holds the opening quotes, sent in order).
            int missed = outbox.size();
            outbox.clear();
            link.dropped(missed);
            for (Quote quote : new ArrayList<>(latest.values())) {
                producer.send(TickMessage.encode(session, new TickMessage.Tick(epoch, runStarted, quote)));
            }
        }
        link.connected();
        LOG.log(System.Logger.Level.INFO, "publishing ticks to {0} at {1}", broker.address(), broker.url());
        List<Quote> batch = new ArrayList<>(256);
        while (!closed && !broken) {
            Quote quote;
            try {
                quote = outbox.poll(250, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (quote == null) {
                continue;
            }
            batch.add(quote);
            outbox.drainTo(batch, 255);
            for (Quote each : batch) {
                producer.send(TickMessage.encode(session, new TickMessage.Tick(epoch, runStarted, each)));
            }
            batch.clear();
        }
        if (broken) {
            throw new JMSException("connection failed");
        }
    }

    /**
     * The last-value queue on the tick address: the broker keeps the latest tick of each symbol there,
     * and a node that joins reads it (without consuming it) to serve snapshots at once. Made here with
     * Artemis's own API, since Jakarta Messaging has no way to ask for a last-value queue; a queue that
     * already exists (another run made it) is kept.
     */
    private void defineLastValueQueue(Session session) throws ActiveMQException {
        try {
            ((ActiveMQSession) session).getCoreSession().createQueue(QueueConfiguration.of(broker.lastValueQueue())
                    .setAddress(broker.address())
                    .setRoutingType(RoutingType.MULTICAST)
                    .setLastValueKey(Broker.SYMBOL)
                    .setNonDestructive(true)
                    .setDurable(false)
                    .setAutoCreateAddress(true));
        } catch (ActiveMQQueueExistsException exists) {
            // made by an earlier run of the publisher: the broker kept it
        }
    }

    /** Waits before the next attempt; false if the feed closed meanwhile. */
    @Override
    public String epoch() {
        return market.epoch();
    }

    @Override
    public Optional<BrokerLink> broker() {
        return Optional.of(link);
    }

    /** The market itself. */
    public LocalFeed market() {
        return market;
    }

    @Override
    public void close() {
        closed = true;
        market.close();
        if (publisher != null) {
            publisher.interrupt();
            try {
                publisher.join(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopEmbedded();
    }

    private void stopEmbedded() {
        if (embeddedBroker != null) {
            embeddedBroker.close();
            embeddedBroker = null;
        }
    }
}
