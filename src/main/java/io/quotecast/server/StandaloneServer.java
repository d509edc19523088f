package io.quotecast.server;

import io.quotecast.Quotecast;
import io.quotecast.config.Settings;
import io.quotecast.config.WritePath;
import io.quotecast.server.tyrus.GrizzlyAddOn;
import io.quotecast.server.tyrus.UpgradedChain;
import io.quotecast.server.tyrus.GrizzlyDirectSink;
import io.quotecast.websocket.QuoteEncoder;
import io.quotecast.websocket.QuoteEndpoint;
import io.quotecast.websocket.SessionSinks;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import org.glassfish.grizzly.filterchain.TransportFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.ssl.SSLEngineConfigurator;

import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Quotecast on its own: one Grizzly HTTP server serving the dashboard from {@code webapp/} on the
 * classpath and the Tyrus quote stream at {@code /quotes}, on one port of the interface
 * {@code server.host} names; with {@code server.tls.keystore}, that port speaks only https and wss.
 */
public final class StandaloneServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StandaloneServer.class.getName());

    private static final String CONTEXT_PATH = "/";
    /** How long shutdown waits for clients to answer the 1001 close before the sockets are cut. */
    private static final long CLOSE_HANDSHAKE_MILLIS = 2_000;

    private final Quotecast quotecast;
    /** Where the portable path's pings wait to be written; stopped with the server. */
    private final ExecutorService pings;
    private final HttpServer http;
    private final TyrusServerContainer websockets;
    /** The loopback listener of /health and /metrics when {@code management.port} is set; else null. */
    private final HttpServer management;
    /** The edge's timer: handshake deadlines, and the end of a pause in accepting. */
    private final ScheduledExecutorService edgeTimer;
    private final OpenFilesGuard openFiles;
    /** Where upgraded connections read from; null with TLS. */
    private final UpgradedChain upgraded;

    private StandaloneServer(Quotecast quotecast, HttpServer http, TyrusServerContainer websockets, HttpServer management,
                             ScheduledExecutorService edgeTimer, OpenFilesGuard openFiles, ExecutorService pings,
                             UpgradedChain upgraded) {
        this.upgraded = upgraded;
        this.pings = pings;
        this.quotecast = quotecast;
        this.http = http;
        this.websockets = websockets;
        this.management = management;
        this.edgeTimer = edgeTimer;
        this.openFiles = openFiles;
    }

    /** Starts the application and listens on {@code server.host}:{@code server.port} (0 picks a free port). */
    public static StandaloneServer start(Settings settings) {
        // GrizzlyDirectSink writes straight to the socket's queue, below Grizzly's filters and so below TLS:
        // with TLS every frame goes through Tyrus's public API, encrypted by the filter chain
        boolean tls = !settings.server().tls().keystore().isEmpty();
        ExecutorService pings = SessionSinks.pingPool();
        SessionSinks sinks = tls || settings.connection().writePath() == WritePath.PORTABLE
                ? SessionSinks.portable(settings.connection().stuckTimeoutMillis(), pings)
                : GrizzlyDirectSink.sinks(settings.connection().stuckTimeoutMillis(), pings);
        LOG.log(System.Logger.Level.INFO, "write path: {0} (connection.writePath={1}{2}), gathering window {3} ms", sinks.name(),
                settings.connection().writePath().settingValue(), tls && settings.connection().writePath() == WritePath.AUTO ? "; TLS: the portable path" : "",
                settings.connection().flushMillis(sinks.portable()));
        Quotecast quotecast = Quotecast.start(settings, new QuoteEncoder(), sinks.portable());
        HttpServer management = null;
        ScheduledExecutorService edgeTimer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "quotecast-edge");
            thread.setDaemon(true);
            return thread;
        });
        OpenFilesGuard openFiles = new OpenFilesGuard(quotecast.operations().limits(), tls, edgeTimer);
        try {
            TyrusServerContainer websockets = new EngineContainer(settings.connection().maxFrameBytes());
            websockets.addEndpoint(QuoteEndpoint.config(quotecast, sinks));
            HttpServer http = new HttpServer();
            NetworkListener listener = new NetworkListener("quotecast", settings.server().host(), settings.server().port());
            // Tyrus runs endpoint code on the I/O thread otherwise; worker threads keep selectors free. The
            // accepts go through OpenFilesGuard, so that running out of file descriptors is answered, not spun on.
            listener.getTransport().setIOStrategy(openFiles.strategy());
            // Grizzly's idle timeout stays off: its filter would cut quiet WebSockets too, and a client trickling a byte
            // now and then resets it. HandshakeDeadline closes unfinished requests and idle kept-alive connections instead.
            listener.getKeepAlive().setIdleTimeoutInSeconds(-1);
            HandshakeDeadline deadline = new HandshakeDeadline(settings.server().handshakeTimeoutSeconds(),
                    settings.server().maxUnfinishedHandshakesPerAddress(), quotecast.operations().limits(),
                    quotecast.operations().addresses(), tls, edgeTimer);
            listener.registerAddOn(deadlineFilters(deadline));
            if (tls) {
                listener.setSecure(true);
                listener.setSSLEngineConfig(new SSLEngineConfigurator(tls(settings), false, false, false));
            }
            // the gate first: Tyrus's add-on then puts its filter between the gate and the HTTP handlers
            // without TLS an upgraded connection leaves the HTTP chain and the request objects it keeps
            UpgradedChain upgraded = tls ? null : new UpgradedChain();
            listener.registerAddOn(handshakeGate(quotecast, upgraded));
            listener.registerAddOn(GrizzlyAddOn.webSocket(websockets, CONTEXT_PATH));
            http.addListener(listener);
            boolean opsHere = settings.monitoring().managementPort() < 0;
            Map<String, HttpHandler> routes = new HashMap<>(opsHere ? OpsHandlers.routes(quotecast.operations()) : Map.of());
            routes.put(ContractHandler.PATH, new ContractHandler());
            http.getServerConfiguration().addHttpHandler(new DashboardHandler(routes), "/");
            http.getServerConfiguration().setDefaultErrorPageGenerator(null);
            if (!opsHere) {
                management = managementServer(settings.monitoring().managementPort(), quotecast);
            }
            http.start();
            websockets.start(CONTEXT_PATH, listener.getPort());
            return new StandaloneServer(quotecast, http, websockets, management, edgeTimer, openFiles, pings, upgraded);
        } catch (IOException e) {
            edgeTimer.shutdownNow();
            openFiles.close();
            if (management != null) {
                management.shutdownNow();
            }
            quotecast.close();
            throw new UncheckedIOException("cannot listen on " + settings.server().host() + ":" + settings.server().port(), e);
        } catch (DeploymentException | RuntimeException e) {
            edgeTimer.shutdownNow();
            openFiles.close();
            quotecast.close();
            throw new IllegalStateException("cannot start the quote stream", e);
        }
    }

    /** Connections moved off the HTTP chain once upgraded (0 with TLS, which keeps them on it). */
    long upgradedConnections() {
        return upgraded == null ? 0 : upgraded.adopted();
    }

    /** True when the port speaks https and wss ({@code server.tls.keystore} is set). */
    public boolean secure() {
        return http.getListener("quotecast").isSecure();
    }

    public int port() {
        return http.getListener("quotecast").getPort();
    }

    /** The port of /health and /metrics: the management listener's, or {@link #port()} where there is none. */
    public int managementPort() {
        return management == null ? port() : management.getListener(MANAGEMENT).getPort();
    }

    private static final String MANAGEMENT = "management";

    /** /health and /metrics alone, on loopback: for deployments that must not expose them. */
    private static HttpServer managementServer(int port, Quotecast quotecast) throws IOException {
        HttpServer server = new HttpServer();
        server.addListener(new NetworkListener(MANAGEMENT, "127.0.0.1", port));
        OpsHandlers.addTo(server.getServerConfiguration(), quotecast.operations());
        server.getServerConfiguration().setDefaultErrorPageGenerator(null);
        server.start();
        return server;
    }

    public Quotecast quotecast() {
        return quotecast;
    }

    /** Sends every client close 1001, waits briefly for their answers, then stops listening. */
    @Override
    public void close() {
        quotecast.close();
        pings.shutdownNow();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_HANDSHAKE_MILLIS);
        while (quotecast.hub().registry().connectionCount() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        websockets.stop();
        http.shutdownNow();
        if (management != null) {
            management.shutdownNow();
        }
        edgeTimer.shutdownNow();
        openFiles.close();
    }

    /** {@link HandshakeDeadline}'s filters: one right after the transport (before TLS), one right after the HTTP codec. */
    private static AddOn deadlineFilters(HandshakeDeadline deadline) {
        return (listener, chain) -> {
            chain.add(chain.indexOfType(TransportFilter.class) + 1, deadline.transportSide());
            chain.add(chain.indexOfType(org.glassfish.grizzly.http.HttpServerFilter.class) + 1, deadline.httpSide());
        };
    }

    /** The server's certificate and key, from the PKCS12 keystore {@code server.tls.keystore}. */
    private static SSLContext tls(Settings settings) {
        Path file = Path.of(settings.server().tls().keystore());
        char[] password = settings.server().tls().password().toCharArray();
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("server.tls.keystore: cannot load the PKCS12 keystore " + file
                    + " with server.tls.password: " + e.getMessage(), e);
        }
    }

    /**
     * Puts {@link HandshakeGate} before the HTTP handlers; Tyrus's add-on, registered after it, inserts
     * its own filter at the same place, so the gate sees every handshake before Tyrus does.
     */
    private static AddOn handshakeGate(Quotecast quotecast, UpgradedChain upgraded) {
        return (listener, chain) -> {
            int handlers = chain.indexOfType(HttpServerFilter.class);
            chain.add(handlers, new HandshakeGate(quotecast.admission(), quotecast.operations().limits(), upgraded));
        };
    }

    /** A Tyrus server container for the quote endpoint's configuration, not bound to any transport of its own. */
    private static final class EngineContainer extends TyrusServerContainer {

        private final TyrusWebSocketEngine engine;

        EngineContainer(int maxFrameBytes) {
            super(Set.<Class<?>>of());
            // Tyrus's read buffer must hold a whole frame and a whole network read, which may carry many
            // small frames, so it is kept well above the message limit; the limit itself is counted by
            // the endpoint as the frames arrive (a single frame larger than this buffer is Tyrus's to refuse).
            int readBuffer = (int) Math.min(Integer.MAX_VALUE - 64, Math.max(1L << 20, 4L * maxFrameBytes));
            this.engine = TyrusWebSocketEngine.builder(this).incomingBufferSize(readBuffer).build();
        }

        @Override
        public void register(Class<?> endpointClass) throws DeploymentException {
            engine.register(endpointClass, CONTEXT_PATH);
        }

        @Override
        public void register(ServerEndpointConfig config) throws DeploymentException {
            engine.register(config, CONTEXT_PATH);
        }

        @Override
        public WebSocketEngine getWebSocketEngine() {
            return engine;
        }
    }
}
