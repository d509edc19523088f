package io.quotecast.server;

import io.quotecast.Quotecast;
import io.quotecast.config.Settings;
import io.quotecast.websocket.QuoteEndpoint;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.CLStaticHttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Quotecast on its own: one Grizzly HTTP server serving the dashboard from {@code webapp/} on the
 * classpath and the Tyrus quote stream at {@code /quotes}, on one port.
 */
public final class StandaloneServer implements AutoCloseable {

    private static final String CONTEXT_PATH = "/";
    /** How long shutdown waits for clients to answer the 1001 close before the sockets are cut. */
    private static final long CLOSE_HANDSHAKE_MILLIS = 2_000;

    private final Quotecast quotecast;
    private final HttpServer http;
    private final TyrusServerContainer websockets;
    /** The loopback listener of /health and /metrics when {@code management.port} is set; else null. */
    private final HttpServer management;

    private StandaloneServer(Quotecast quotecast, HttpServer http, TyrusServerContainer websockets, HttpServer management) {
        this.quotecast = quotecast;
        this.http = http;
        this.websockets = websockets;
        this.management = management;
    }

    /** Starts the application and listens on {@code server.host}:{@code server.port} (0 picks a free port). */
    public static StandaloneServer start(Settings settings) {
        Quotecast quotecast = Quotecast.start(settings, TyrusSessionSink.SINKS);
        HttpServer management = null;
        try {
            TyrusServerContainer websockets = new EngineContainer(settings.maxFrameBytes());
            HttpServer http = new HttpServer();
            NetworkListener listener = new NetworkListener("quotecast", settings.serverHost(), settings.serverPort());
            // Tyrus runs endpoint code on the I/O thread otherwise; worker threads keep selectors free.
            listener.getTransport().setIOStrategy(WorkerThreadIOStrategy.getInstance());
            listener.getKeepAlive().setIdleTimeoutInSeconds(-1);
            listener.registerAddOn(webSocketAddOn(websockets));
            http.addListener(listener);
            CLStaticHttpHandler dashboard = new CLStaticHttpHandler(StandaloneServer.class.getClassLoader(), "/webapp/");
            dashboard.setFileCacheEnabled(true);
            http.getServerConfiguration().addHttpHandler(dashboard, "/");
            http.getServerConfiguration().setDefaultErrorPageGenerator(null);
            if (settings.managementPort() < 0) {
                OpsHandlers.addTo(http.getServerConfiguration(), quotecast.operations());
            } else {
                management = managementServer(settings.managementPort(), quotecast);
            }
            http.start();
            websockets.start(CONTEXT_PATH, listener.getPort());
            return new StandaloneServer(quotecast, http, websockets, management);
        } catch (IOException e) {
            if (management != null) {
                management.shutdownNow();
            }
            quotecast.close();
            throw new UncheckedIOException("cannot listen on " + settings.serverHost() + ":" + settings.serverPort(), e);
        } catch (DeploymentException | RuntimeException e) {
            quotecast.close();
            throw new IllegalStateException("cannot start the quote stream", e);
        }
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
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_HANDSHAKE_MILLIS);
        while (quotecast.hub().registry().connectionCount() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        websockets.stop();
        http.shutdownNow();
        if (management != null) {
            management.shutdownNow();
        }
    }

    /**
     * Tyrus's Grizzly add-on has no public constructor: it is meant to be created by Tyrus's own
     * server, which binds every interface and serves static files only from a directory. We need
     * {@code server.host} and the dashboard from the classpath, so we build the HTTP server ourselves.
     */
    private static AddOn webSocketAddOn(ServerContainer container) {
        try {
            Constructor<WebSocketAddOn> constructor =
                    WebSocketAddOn.class.getDeclaredConstructor(ServerContainer.class, String.class);
            constructor.setAccessible(true);
            return constructor.newInstance(container, CONTEXT_PATH);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("this Tyrus version's Grizzly add-on cannot be created", e);
        }
    }

    /** A Tyrus server container holding the quote endpoint, not bound to any transport of its own. */
    private static final class EngineContainer extends TyrusServerContainer {

        private final TyrusWebSocketEngine engine;

        EngineContainer(int maxFrameBytes) {
            super(Set.<Class<?>>of(QuoteEndpoint.class));
            // Tyrus's read buffer must hold a whole network read, which may carry many small frames,
            // so it is kept well above the frame limit; the limit itself is enforced on each frame.
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
