package io.quotecast.websocket;

import jakarta.websocket.Session;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The TCP peer's IP address of a session. Jakarta WebSocket does not expose it, so the first of
 * these that works is taken: the address the WAR's filter saw at the handshake
 * ({@link HandshakePeer}: any servlet container that upgrades inside the filter chain, Tomcat and
 * Open Liberty among them), Jetty's user property, and each container's own way, by reflection (the
 * WAR must not link against any container): Tyrus (standalone, GlassFish) has
 * {@code TyrusSession.getRemoteAddr()}, Undertow (WildFly) the channel's source address. Null
 * where none works: the per-address limits then do not apply to that connection, and the first
 * such connection is logged as a warning.
 */
final class PeerAddress {

    private static final System.Logger LOG = System.getLogger(PeerAddress.class.getName());
    private static final String REMOTE_ADDRESS_PROPERTY = "jakarta.websocket.endpoint.remoteAddress";
    /** User property holding the address {@link HandshakePeer} gave the handshake. */
    private static final String HANDSHAKE_PEER = "io.quotecast.handshakePeer";
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private PeerAddress() {
    }

    /** Called by the handshake: keeps the filter's address for {@link #of}; forgets any earlier one. */
    static void keepFromHandshake(Map<String, Object> userProperties, String address) {
        userProperties.remove(HANDSHAKE_PEER);
        if (address != null && !address.isBlank()) {
            userProperties.put(HANDSHAKE_PEER, address);
        }
    }

    static String of(Session session) {
        String address = find(session);
        if (address == null && WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "this server tells Quotecast no client address ({0}): the per-address "
                    + "limits do not apply, and connections are logged as address=unknown (docs/deploy.md)",
                    session.getClass().getName());
        }
        return address;
    }

    private static String find(Session session) {
        try {
            if (session.getUserProperties().get(HANDSHAKE_PEER) instanceof String address) {
                return address;
            }
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
