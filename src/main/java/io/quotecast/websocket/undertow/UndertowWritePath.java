package io.quotecast.websocket.undertow;

import io.quotecast.websocket.SessionSinks;

import java.util.concurrent.Executor;

/**
 * The WAR's write path on Undertow (WildFly): {@link UndertowFrameSink}. Names no Undertow type
 * itself, so that asking costs another server nothing: the sink's classes are loaded only once the
 * container's class name says Undertow.
 */
public final class UndertowWritePath {

    /** The path's name in the start-up log and {@code /metrics}. */
    public static final String NAME = "undertow";
    private static final String CONTAINER_PACKAGE = "io.undertow.";

    private UndertowWritePath() {
    }

    /**
     * Whether the portable path may batch on this container: not on Undertow, where a write with
     * batching allowed never reached the client (WildFlyContainerIT with connection.writePath=portable).
     * The cause, read in Undertow 2.3.20: its {@code setBatchingAllowed(false)} only clears the channel's
     * explicit-flush flag ({@code setRequireExplicitFlush}) and sends nothing of what is batched, where the
     * API says it must send it at once; only {@code flushBatch()} flushes there, and the portable path
     * ends a batch the API's way. Nor would flushing that way make it batch: Undertow completes a batched
     * send only once flushed, and the portable path sends the next frame from the last one's completion.
     */
    public static boolean portableBatchesOn(Object serverContainer) {
        return !serverContainer.getClass().getName().startsWith(CONTAINER_PACKAGE);
    }

    /**
     * Undertow's path where {@code serverContainer} is Undertow's, else null ({@link SessionSinks.Accelerator});
     * the portable sink it falls back to pings on {@code pings}.
     */
    public static SessionSinks ifContainer(Object serverContainer, long sendTimeoutMillis, Executor pings) {
        if (!serverContainer.getClass().getName().startsWith(CONTAINER_PACKAGE)) {
            return null;
        }
        return SessionSinks.accelerated(NAME, UndertowFrameSink::of, sendTimeoutMillis, pings);
    }
}
