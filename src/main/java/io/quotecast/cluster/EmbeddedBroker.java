package io.quotecast.cluster;

import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * ActiveMQ Artemis in this process ({@code broker.embedded=true} on the publisher): a cluster on one
 * machine with nothing installed, and the broker of the unit tests. In memory only (no journal: ticks
 * are not persistent anyway) and without security; a real deployment runs the Artemis distribution.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EmbeddedBroker.class.getName());

    private final EmbeddedActiveMQ server;
    private final Path directory;
    private final String url;

    private EmbeddedBroker(EmbeddedActiveMQ server, Path directory, String url) {
        this.server = server;
        this.directory = directory;
        this.url = url;
    }

    /** Where it listens, as {@code broker.url} names it. */
    public String url() {
        return url;
    }

    /** Starts a broker accepting the core protocol at {@code url}'s host and port, e.g. {@code tcp://localhost:61616}. */
    public static EmbeddedBroker start(String url) {
        URI uri = URI.create(url);
        if (!"tcp".equals(uri.getScheme()) || uri.getPort() < 0) {
            throw new IllegalArgumentException("broker.embedded=true listens at broker.url, which must be tcp://host:port, not " + url);
        }
        Path directory;
        try {
            // Artemis wants directories even when it keeps nothing; ours, and deleted at close.
            directory = Files.createTempDirectory("quotecast-artemis");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ConfigurationImpl config = new ConfigurationImpl();
            config.setName("quotecast-embedded");
            config.setPersistenceEnabled(false);
            config.setSecurityEnabled(false);
            config.setJMXManagementEnabled(false);
            config.setBrokerInstance(directory.toFile());
            config.addAcceptorConfiguration("core", "tcp://" + uri.getHost() + ":" + uri.getPort() + "?protocols=CORE");
            EmbeddedActiveMQ server = new EmbeddedActiveMQ();
            server.setConfiguration(config);
            server.start();
            // Artemis logs a port it cannot bind and starts all the same: that is no broker for the cluster.
            var acceptor = server.getActiveMQServer().getRemotingService().getAcceptor("core");
            if (acceptor == null || !acceptor.isStarted()) {
                server.stop();
                throw new IllegalStateException("its acceptor did not start (is the port taken?)");
            }
            LOG.log(System.Logger.Level.INFO, "embedded Artemis listening at {0}", url);
            return new EmbeddedBroker(server, directory, url);
        } catch (Exception e) {
            delete(directory);
            throw new IllegalStateException("broker.embedded=true: cannot start Artemis at " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "embedded Artemis did not stop cleanly", e);
        }
        delete(directory);
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the OS cleans it up in the end
        }
    }
}
