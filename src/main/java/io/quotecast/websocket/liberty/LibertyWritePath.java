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

    private LibertyWritePath() {
    }

    /**
     * Liberty's path where {@code serverContainer} is Liberty's, else null ({@link SessionSinks.Accelerator});
     * a session whose link is not reachable gets the portable sink, with a warning.
     */
    public static SessionSinks ifContainer(Object serverContainer, long sendTimeoutMillis, Executor pings) {
        String name = serverContainer.getClass().getName();
        for (String container : CONTAINER_PACKAGES) {
            if (name.startsWith(container)) {
                return SessionSinks.framedByContainer(NAME, LibertyFrameWriter::of, sendTimeoutMillis, pings);
            }
        }
        return null;
    }
}
