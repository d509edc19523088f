package io.quotecast.cluster;

import io.quotecast.config.Settings;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import java.util.function.BooleanSupplier;

/**
 * How to reach the broker: the URL, credentials and address of {@code broker.*}, and a connection
 * factory that fails fast. Reconnecting is ours (see the sources), not the client library's: with its
 * own retries a lost broker would block the caller inside a send or a receive, and a node could not
 * tell /health that the broker is down.
 */
final class Broker {

    private static final System.Logger LOG = System.getLogger(Broker.class.getName());
    /** How long a feed waits between attempts to reach a broker that is away. */
    private static final long RETRY_MILLIS = 1_000;

    /** Message property: the feed run of the tick. */
    static final String EPOCH = "epoch";
    /** Message property: when that run started (epoch ms), so that a late tick of an older run is ignored. */
    static final String RUN_STARTED = "runStarted";
    /** Message property: the tick's symbol, the key of the last-value queue. */
    static final String SYMBOL = "symbol";

    private final String url;
    private final String user;
    private final String password;
    private final String address;
    private final ActiveMQConnectionFactory factory;

    private Broker(String url, String user, String password, String address) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.address = address;
        try {
            this.factory = new ActiveMQConnectionFactory(url);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("broker.url '" + url + "' is not a broker URL (e.g. tcp://host:61616): " + e.getMessage(), e);
        }
        factory.setReconnectAttempts(0);
        factory.setInitialConnectAttempts(1);
        // Blocking calls (connect, create a consumer) give up after this, on a broker that accepts but never answers.
        factory.setCallTimeout(5_000);
        // A broker gone silent (no FIN, no RST) is noticed within a few seconds, not the library's minute.
        factory.setClientFailureCheckPeriod(1_000);
        factory.setConnectionTTL(5_000);
    }

    static Broker from(Settings settings) {
        return new Broker(settings.broker().url(), settings.broker().user(), settings.broker().password(), settings.broker().address());
    }

    String url() {
        return url;
    }

    /** The multicast address every tick is published to. */
    String address() {
        return address;
    }

    /** The last-value queue on that address: the latest tick of each symbol, read by nodes that join. */
    String lastValueQueue() {
        return address + ".last";
    }

    /** A started connection. */
    Connection connect() throws JMSException {
        Connection connection = user.isEmpty() ? factory.createConnection() : factory.createConnection(user, password);
        try {
            connection.start();
            return connection;
        } catch (JMSException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The first connection, at start: any failure is a clear error naming the broker, not a retry loop. */
    Connection connectAtStart(String mode) {
        try {
            return connect();
        } catch (JMSSecurityException e) {
            throw new IllegalStateException("feed.mode=" + mode + ": the broker at " + url + " refused broker.user '" + user
                    + "': " + e.getMessage(), e);
        } catch (JMSException | RuntimeException e) {
            throw new IllegalStateException("feed.mode=" + mode + ": cannot connect to the broker at broker.url=" + url + ": "
                    + e.getMessage(), e);
        }
    }

    /** What a feed does with a live connection, until it breaks (an exception) or the feed closes (a return). */
    interface Connected {
        void run(Connection connection) throws Exception;
    }

    /**
     * Runs {@code work} on {@code first}, then on a new connection after each loss, a second apart,
     * until {@code closed} says so or the thread is interrupted. {@code link} hears of each loss;
     * {@code afterLoss} tells the operator what the node does meanwhile.
     */
    void keepConnected(Connection first, Connected work, BrokerLink link, BooleanSupplier closed, String afterLoss) {
        Connection connection = first;
        while (!closed.getAsBoolean()) {
            if (connection == null) {
                try {
                    connection = connect();
                } catch (JMSException | RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "broker at {0} still unreachable: {1}", url, e.getMessage());
                    if (!pause(closed)) {
                        return;
                    }
                    continue;
                }
            }
            try {
                work.run(connection);
            } catch (Exception e) {
                if (!closed.getAsBoolean()) {
                    LOG.log(System.Logger.Level.WARNING, "lost the broker at {0}: {1}; {2}", url, e.getMessage(), afterLoss);
                }
            } finally {
                link.lost();
                closeQuietly(connection);
                connection = null;
            }
            if (!pause(closed)) {
                return;
            }
        }
    }

    /** The wait between attempts; false when the feed closed (or interrupted the thread) meanwhile. */
    private static boolean pause(BooleanSupplier closed) {
        try {
            Thread.sleep(RETRY_MILLIS);
            return !closed.getAsBoolean();
        } catch (InterruptedException e) {
            return false;
        }
    }

    static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException | RuntimeException ignored) {
                // it is gone already
            }
        }
    }
}
