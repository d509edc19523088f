package io.quotecast.websocket;

import io.quotecast.stream.FrameSink;
import jakarta.websocket.Session;

/**
 * Makes the {@link FrameSink} of each new WebSocket session. The portable one suits every container;
 * {@link #CONTAINER}, the WAR's, gathers writes where the container is Tyrus; the standalone server
 * swaps in one tuned for the Tyrus it ships.
 */
@FunctionalInterface
public interface SessionSinks {

    SessionSinks PORTABLE = SessionSink::new;

    /**
     * On Tyrus (GlassFish), a {@link TyrusWriterSink}; on Undertow (WildFly), an {@link UndertowFrameSink}
     * (in both, the Jakarta API's batching calls are no-ops); elsewhere the portable sink. The class
     * name is checked first so that a container never loads the other container's types.
     */
    SessionSinks CONTAINER = session -> {
        if (session.getClass().getName().startsWith("org.glassfish.tyrus.")) {
            try {
                FrameSink tyrus = TyrusWriterSink.of(session);
                if (tyrus != null) {
                    return tyrus;
                }
            } catch (LinkageError e) {
                // the Tyrus SPI is not visible to this application: the portable sink below
            }
        } else if (session.getClass().getName().startsWith("io.undertow.")) {
            try {
                FrameSink undertow = UndertowFrameSink.of(session);
                if (undertow != null) {
                    return undertow;
                }
            } catch (LinkageError e) {
                // Undertow's core is not visible to this application: the portable sink below
            }
        }
        return new SessionSink(session);
    };

    FrameSink sinkFor(Session session);
}
