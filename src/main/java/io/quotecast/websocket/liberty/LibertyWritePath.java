package io.quotecast.websocket.liberty;

import io.quotecast.websocket.SessionSinks;

import java.util.concurrent.Executor;

/**
 * The WAR's write path on Open Liberty: {@link LibertyFrameWriter} under the portable path's sink.
 * Liberty implements no batching, and each frame sent through the API is a write of its own, with
 * Liberty's work per frame on top (about as much CPU as the system call, in a flight recording at
 * load A); this path writes the frames that waited together in one.
 */
public final class LibertyWritePath {

    /** The path's name in the start-up log and {@code /metrics}. */
    public static final String NAME = "liberty";
    /** Liberty's WebSocket containers: {@code com.ibm.ws.wsoc.} for 1.x and 2.0, {@code io.openliberty.wsoc.} from 2.1. */
    private static final String[] CONTAINER_PACKAGES = {"com.ibm.ws.wsoc.", "io.openliberty.wsoc."};
    /** The start-up log's warning under the portable path on Liberty ({@link #portableCaveat}). */
    static final String PORTABLE_CAVEAT = "connection.writePath=portable on Open Liberty: a client that stops reading"
            + " in the middle of a send can hold one of Quotecast's threads until the server stops (Liberty's blocking"
            + " send has no timeout, and closing the session does not end it); connection.writePath=auto, the default,"
            + " writes through Liberty's own path and holds none";

    private LibertyWritePath() {
    }

    /**
     * Liberty's path where {@code serverContainer} is Liberty's, else null ({@link SessionSinks.Accelerator});
     * a session whose link is not reachable gets the portable sink, with a warning.
     */
    public static SessionSinks ifContainer(Object serverContainer, long sendTimeoutMillis, Executor pings) {
        return isContainer(serverContainer) ? SessionSinks.framedByContainer(NAME, LibertyFrameWriter::of, sendTimeoutMillis, pings) : null;
    }

    /**
     * What the start-up log says where an operator chose the portable path on Liberty, else null. Liberty's
     * blocking send has no timeout and its close does not end one in progress, so that path can hold a
     * thread for good on a client that stops reading; this path writes asynchronously and holds none.
     */
    public static String portableCaveat(Object serverContainer, boolean portableChosen) {
        return portableChosen && isContainer(serverContainer) ? PORTABLE_CAVEAT : null;
    }

    private static boolean isContainer(Object serverContainer) {
        String name = serverContainer.getClass().getName();
        for (String container : CONTAINER_PACKAGES) {
            if (name.startsWith(container)) {
                return true;
            }
        }
        return false;
    }
}
