package io.quotecast.websocket;

/**
 * The TCP peer address of the HTTP request being upgraded, handed by the WAR's servlet filter to the
 * handshake configurator. Jakarta WebSocket tells neither of them to the endpoint, and some
 * containers have no way of their own (Tomcat, Open Liberty); but a servlet container upgrades the
 * request inside the filter chain, on the thread that runs it, so a value set around
 * {@code chain.doFilter} is the one the configurator sees. Nothing outlives the request: the filter
 * clears it in a {@code finally}, so no container thread keeps a value of an undeployed WAR.
 */
public final class HandshakePeer {

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private HandshakePeer() {
    }

    /** The request on this thread comes from {@code address}; {@link #clear} must follow. */
    public static void set(String address) {
        CURRENT.set(address);
    }

    public static void clear() {
        CURRENT.remove();
    }

    /** The address set on this thread, or null outside a filtered handshake. */
    static String current() {
        return CURRENT.get();
    }
}
