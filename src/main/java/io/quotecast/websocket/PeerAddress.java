package io.quotecast.websocket;

import jakarta.websocket.Session;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;

/**
 * The TCP peer's IP address of a session. Jakarta WebSocket does not expose it, so each container's
 * own way is tried, by reflection (the WAR must not link against any container): Tyrus (standalone,
 * GlassFish) has {@code TyrusSession.getRemoteAddr()}, Undertow (WildFly) the channel's source
 * address, Tomcat and Jetty a user property. Null where none works: the per-address limits then
 * do not apply to that connection.
 */
final class PeerAddress {

    private static final System.Logger LOG = System.getLogger(PeerAddress.class.getName());
    private static final String REMOTE_ADDRESS_PROPERTY = "jakarta.websocket.endpoint.remoteAddress";

    private PeerAddress() {
    }

    static String of(Session session) {
        try {
            if (session.getUserProperties().get(REMOTE_ADDRESS_PROPERTY) instanceof InetSocketAddress address) {
                return host(address);
            }
            Method tyrus = publicMethod(session.getClass(), "getRemoteAddr");
            if (tyrus != null && tyrus.invoke(session) instanceof String address) {
                return address;
            }
            Method undertow = publicMethod(session.getClass(), "getWebSocketChannel");
            if (undertow != null) {
                Object channel = undertow.invoke(session);
                Method source = channel == null ? null : publicMethod(channel.getClass(), "getSourceAddress");
                if (source != null && source.invoke(channel) instanceof InetSocketAddress address) {
                    return host(address);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "the peer address of a session is not reachable", e);
        }
        return null;
    }

    private static String host(InetSocketAddress address) {
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }

    private static Method publicMethod(Class<?> type, String name) {
        try {
            return type.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
