package io.quotecast.web;

import io.quotecast.Quotecast;
import io.quotecast.config.Settings;
import io.quotecast.config.WritePath;
import io.quotecast.websocket.QuoteEncoder;
import io.quotecast.websocket.QuoteEndpoint;
import io.quotecast.websocket.SessionSinks;
import io.quotecast.websocket.jetty.JettyWritePath;
import io.quotecast.websocket.tyrus.TyrusWritePath;
import io.quotecast.websocket.liberty.LibertyWritePath;
import io.quotecast.websocket.undertow.UndertowWritePath;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The WAR's wiring: the feed starts when the application is deployed and stops, closing every
 * client with 1001, when it is undeployed. The quote stream is deployed here too, with
 * {@link ServerContainer#addEndpoint(jakarta.websocket.server.ServerEndpointConfig)} and a
 * configuration that carries this application ({@link QuoteEndpoint#config}).
 *
 * <p>Why programmatically, from here: Jakarta WebSocket creates an annotated endpoint's configurator
 * itself, from its class, so it could reach the application only through a static; and the servlet
 * context is not within reach of a configurator. A {@code ServletContextListener} is the one place
 * the specification guarantees both the {@code ServerContainer} (a context attribute) and a time to
 * add endpoints: Tyrus (GlassFish) deploys what was added when its filter starts, Undertow (WildFly)
 * refuses additions from its filter's start on, and both start filters after the listeners.
 */
@WebListener
public class QuotecastWebListener implements ServletContextListener {

    private static final System.Logger LOG = System.getLogger(QuotecastWebListener.class.getName());

    /** Where the filters and servlets (the handshake, /health, /metrics) find the application. */
    private static final String ATTRIBUTE = Quotecast.class.getName();

    private Quotecast quotecast;
    /** The portable path's ping threads, stopped with the application. */
    private static final long PING_POOL_STOP_MILLIS = 5_000;
    private static final Duration THREADS_END_PATIENCE = Duration.ofSeconds(5);

    private ExecutorService pings;

    /** The application this WAR started, or null before the start and after the stop. */
    static Quotecast running(ServletContext context) {
        return (Quotecast) context.getAttribute(ATTRIBUTE);
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        if (!(context.getAttribute(ServerContainer.class.getName()) instanceof ServerContainer websockets)) {
            throw new IllegalStateException("this server offers no Jakarta WebSocket container to the application");
        }
        Settings settings = Settings.load();
        pings = SessionSinks.pingPool();
        // The accelerated paths this WAR ships, each checking the container's class name before loading anything of it.
        SessionSinks sinks = SessionSinks.forContainer(websockets, settings.connection().writePath(), settings.connection().stuckTimeoutMillis(), pings,
                UndertowWritePath.portableBatchesOn(websockets),
                TyrusWritePath::ifContainer, UndertowWritePath::ifContainer, LibertyWritePath::ifContainer, JettyWritePath::ifContainer);
        LOG.log(System.Logger.Level.INFO, "write path: {0} (connection.writePath={1}, WebSocket container {2}), gathering window {3} ms",
                sinks.name(), settings.connection().writePath().settingValue(), websockets.getClass().getName(),
                settings.connection().flushMillis(true));
        String caveat = LibertyWritePath.portableCaveat(websockets, settings.connection().writePath() == WritePath.PORTABLE);
        if (caveat != null) {
            LOG.log(System.Logger.Level.WARNING, caveat);
        }
        LOG.log(System.Logger.Level.INFO, "JSON-P: {0}", JsonSource.describe());
        try {
            // every write here goes through the server's WebSocket stack, whichever path reaches it
            quotecast = Quotecast.start(settings, new QuoteEncoder(), true);
        } catch (RuntimeException e) {
            stopPings(pings);
            throw e;
        }
        try {
            websockets.addEndpoint(QuoteEndpoint.config(quotecast, sinks));
        } catch (DeploymentException e) {
            quotecast.close();
            stopPings(pings);
            quotecast = null;
            throw new IllegalStateException("the quote stream cannot be deployed", e);
        }
        context.setAttribute(ATTRIBUTE, quotecast);
        context.log("Quotecast started: " + quotecast.hub().catalog().size() + " symbols");
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(ATTRIBUTE);
        if (quotecast != null) {
            quotecast.close();
            quotecast = null;
        }
        if (pings != null) {
            stopPings(pings);
            pings = null;
        }
        List<Thread> alive = LeftoverThreads.awaitEnd(Thread.currentThread().getContextClassLoader(), THREADS_END_PATIENCE);
        if (!alive.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "threads still running {0} after undeploy: {1}", THREADS_END_PATIENCE, alive);
        }
    }

    /**
     * Waits (bounded) for the ping threads to end: a servlet container checks for threads the
     * application left behind right after this listener returns, and a ping interrupted mid-send
     * needs a moment to unwind.
     */
    private static void stopPings(ExecutorService pings) {
        pings.shutdownNow();
        try {
            if (!pings.awaitTermination(PING_POOL_STOP_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "ping threads still running {0} ms after undeploy",
                        PING_POOL_STOP_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
