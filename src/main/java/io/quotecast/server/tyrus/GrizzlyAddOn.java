package io.quotecast.server.tyrus;

import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.spi.ServerContainer;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * Tyrus's Grizzly add-on, which puts the WebSocket upgrade into a Grizzly listener's filter chain.
 * It has no public constructor: it is meant to be created by Tyrus's own server, which binds every
 * interface and serves static files only from a directory. The standalone server needs
 * {@code server.host} and the dashboard from the classpath, so it builds the HTTP server itself and
 * this class makes the add-on through its private constructor.
 */
public final class GrizzlyAddOn {

    private GrizzlyAddOn() {
    }

    /** The add-on serving {@code container}'s endpoints under {@code contextPath}; fails where this Tyrus has no such constructor. */
    public static AddOn webSocket(ServerContainer container, String contextPath) {
        try {
            Constructor<WebSocketAddOn> constructor =
                    WebSocketAddOn.class.getDeclaredConstructor(ServerContainer.class, String.class);
            constructor.setAccessible(true);
            return constructor.newInstance(container, contextPath);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("this Tyrus version's Grizzly add-on cannot be created", e);
        }
    }
}
