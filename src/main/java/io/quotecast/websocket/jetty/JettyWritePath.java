package io.quotecast.websocket.jetty;

import io.quotecast.websocket.SessionSinks;
import jakarta.websocket.Session;

import java.util.concurrent.Executor;

/**
 * The WAR's write path on Jetty 12: {@link JettyCoreSink}. Names no Jetty type (Jetty hides them from
 * web applications anyway): the container is recognised by its class name, and the session's core
 * session is reached through the session object Jetty hands the endpoint.
 */
public final class JettyWritePath {

    /** The path's name in the start-up log and {@code /metrics}. */
    public static final String NAME = "jetty-core";
    private static final String CONTAINER_PACKAGE = "org.eclipse.jetty.";

    private JettyWritePath() {
    }

    /**
     * Jetty's path where {@code serverContainer} is Jetty's, else null ({@link SessionSinks.Accelerator});
     * the portable sink it falls back to pings on {@code pings}.
     */
    public static SessionSinks ifContainer(Object serverContainer, long sendTimeoutMillis, Executor pings) {
        if (!serverContainer.getClass().getName().startsWith(CONTAINER_PACKAGE)) {
            return null;
        }
        HandlesOnce handles = new HandlesOnce();
        return SessionSinks.accelerated(NAME, session -> {
            ReflectiveCoreFrames.Handles found = handles.forSession(session);
            return found == null ? null : JettyCoreSink.of(session, found, sendTimeoutMillis);
        }, sendTimeoutMillis, pings);
    }

    /** The method handles, looked up at the first session of the deployment; null where they cannot be. */
    private static final class HandlesOnce {

        private volatile ReflectiveCoreFrames.Handles handles;
        private volatile boolean failed;

        ReflectiveCoreFrames.Handles forSession(Session session) {
            ReflectiveCoreFrames.Handles found = handles;
            if (found != null || failed) {
                return found;
            }
            synchronized (this) {
                if (handles == null && !failed) {
                    try {
                        handles = ReflectiveCoreFrames.lookUp(session.getClass());
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        failed = true;
                        System.getLogger(JettyWritePath.class.getName()).log(System.Logger.Level.DEBUG,
                                "Jetty's core session is not reachable", e);
                    }
                }
                return handles;
            }
        }
    }
}
