package io.quotecast.websocket.tyrus;

import io.quotecast.websocket.SessionSinks;

import java.util.concurrent.Executor;

/**
 * The WAR's write path on a Tyrus container (GlassFish, Payara): {@link TyrusWriterSink}. Names no
 * Tyrus type itself, so that asking costs another server nothing: the sink's class is loaded only
 * once the container's class name says Tyrus.
 */
public final class TyrusWritePath {

    /** The path's name in the start-up log and {@code /metrics}. */
    public static final String NAME = "tyrus-writer";
    private static final String CONTAINER_PACKAGE = "org.glassfish.tyrus.";

    private TyrusWritePath() {
    }

    /**
     * Tyrus's writer path where {@code serverContainer} is Tyrus's, else null ({@link SessionSinks.Accelerator});
     * the portable sink it falls back to pings on {@code pings}.
     */
    public static SessionSinks ifContainer(Object serverContainer, long sendTimeoutMillis, Executor pings) {
        if (!serverContainer.getClass().getName().startsWith(CONTAINER_PACKAGE)) {
            return null;
        }
        return SessionSinks.accelerated(NAME, TyrusWriterSink::of, sendTimeoutMillis, pings);
    }
}
