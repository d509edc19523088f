package io.quotecast.cluster;

import io.quotecast.market.SymbolCatalog;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;

import java.util.Enumeration;
import java.util.Optional;

/**
 * A subscribing node's feed: no market here, every tick comes from the publisher through the broker,
 * with the publisher's {@code seq} and {@code epoch}, never renumbered.
 *
 * <p>One thread, {@code quotecast-subscriber}, does everything: it subscribes to the tick address, then
 * reads the last-value queue (the latest tick of every symbol, left in place for the next node), then
 * takes live ticks. A tick not newer than the last one of its symbol (the last-value queue and the live
 * stream overlap) is skipped, so the hub sees each symbol's ticks in order, once. When the broker goes,
 * the hub is told the link is down (its snapshots are then stale) and the thread reconnects every second;
 * back, it reads the last-value queue again, and a symbol whose ticks were missed jumps in {@code seq}.
 */
public final class BrokerFeed implements TickSource {

    private static final System.Logger LOG = System.getLogger(BrokerFeed.class.getName());

    private final SymbolCatalog catalog;
    private final Broker broker;
    private final BrokerLink link;
    private final long[] lastSeq;
    private volatile String epoch = "";
    private long runStarted = Long.MIN_VALUE;
    private TickListener listener;
    private Thread subscriber;
    private volatile boolean closed;
    private volatile boolean broken;

    BrokerFeed(SymbolCatalog catalog, Broker broker) {
        this.catalog = catalog;
        this.broker = broker;
        this.link = new BrokerLink(broker.url(), "subscribe");
        this.lastSeq = new long[catalog.size()];
    }

    @Override
    public void start(TickListener listener) {
        this.listener = listener;
        Connection first = broker.connectAtStart("subscribe");
        subscriber = new Thread(() -> broker.keepConnected(first, this::receive, link, () -> closed,
                "serving stale snapshots until it is back"), "quotecast-subscriber");
        subscriber.setDaemon(true);
        subscriber.start();
    }

    /** Receives ticks until the connection breaks or the feed closes; the broker's loop reconnects. */
    private void receive(Connection connection) throws JMSException, ActiveMQException {
        boolean wasUp = false;
        try {
            broken = false;
            connection.setExceptionListener(e -> broken = true);
            // Acknowledged in batches (Artemis: per 1 MiB of messages), not one packet per tick as AUTO_ACKNOWLEDGE does:
            // a tick redelivered after a failure would be skipped by its seq anyway, and the queue dies with the connection.
            Session session = connection.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
            // Subscribed first, read the last values second: a tick published in between is in both, never in neither.
            MessageConsumer live = session.createConsumer(session.createTopic(broker.address()));
            readLastValues(session);
            link.connected();
            listener.onLink(true);
            wasUp = true;
            LOG.log(System.Logger.Level.INFO, "receiving ticks from {0} at {1}", broker.address(), broker.url());
            while (!closed && !broken) {
                Message message = live.receive(250);
                if (message != null) {
                    deliver(message);
                }
            }
            if (broken) {
                throw new JMSException("connection failed");
            }
        } finally {
            if (wasUp && !closed) {
                listener.onLink(false);
            }
        }
    }

    /** Every tick in the last-value queue, left there for the next node; none before the publisher made the queue. */
    private void readLastValues(Session session) throws JMSException, ActiveMQException {
        String queue = broker.lastValueQueue();
        // Browsing a queue that does not exist would make an ordinary one of that name, which the publisher then could not make a last-value queue.
        if (!((ActiveMQSession) session).getCoreSession().queueQuery(SimpleString.of(queue)).isExists()) {
            return;
        }
        try (QueueBrowser browser = session.createBrowser(session.createQueue(broker.address() + "::" + queue))) {
            Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                deliver((Message) messages.nextElement());
            }
        }
    }

    private void deliver(Message message) throws JMSException {
        TickMessage.Tick tick;
        try {
            tick = TickMessage.decode(message);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "skipped a message on {0} that is not a tick: {1}", broker.address(), e.toString());
            return;
        }
        if (tick.runStarted() < runStarted) {
            return; // a late tick of a run that has since been replaced
        }
        if (!tick.epoch().equals(epoch)) {
            epoch = tick.epoch();
            runStarted = tick.runStarted();
            java.util.Arrays.fill(lastSeq, 0);
            listener.onEpoch(epoch);
        }
        int symbol = catalog.indexOf(tick.quote().symbol());
        if (symbol < 0 || tick.quote().seq() <= lastSeq[symbol]) {
            return; // a symbol this node does not list, or a tick it already has
        }
        lastSeq[symbol] = tick.quote().seq();
        try {
            listener.onQuote(tick.quote());
            // One tick a message: each ends a batch, so that the hub's writes wait for no timer.
            listener.onBatchEnd();
        } catch (RuntimeException e) {
            // The hub's trouble, not the broker's: the connection and the next ticks are fine.
            LOG.log(System.Logger.Level.ERROR, "a tick could not be handed on; the feed goes on", e);
        }
    }

    @Override
    public String epoch() {
        return epoch;
    }

    @Override
    public Optional<BrokerLink> broker() {
        return Optional.of(link);
    }

    @Override
    public void close() {
        closed = true;
        if (subscriber != null) {
            subscriber.interrupt();
            try {
                subscriber.join(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
