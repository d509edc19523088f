package io.quotecast.config;

import java.util.List;

import static io.quotecast.config.Settings.require;

/**
 * {@code server.*}: where the standalone server listens and what it lets in at the edge, before a
 * connection is a WebSocket session.
 *
 * @param host                              {@code server.host}
 * @param port                              {@code server.port}
 * @param tls                               {@code server.tls.*}
 * @param connectionBudget                  {@code server.maxConnections} and where it came from
 * @param maxConnectionsPerAddress          {@code server.maxConnectionsPerAddress} (0: off)
 * @param maxHandshakesPerAddressPerSecond  {@code server.maxHandshakesPerAddressPerSecond} (0: off)
 * @param trustedProxies                    {@code server.trustedProxies}
 * @param handshakeTimeoutSeconds           {@code server.handshakeTimeoutSeconds}
 * @param maxUnfinishedHandshakesPerAddress {@code server.maxUnfinishedHandshakesPerAddress} (0: off)
 */
public record ServerSettings(
        String host,
        int port,
        TlsSettings tls,
        ConnectionBudget connectionBudget,
        int maxConnectionsPerAddress,
        int maxHandshakesPerAddressPerSecond,
        List<String> trustedProxies,
        int handshakeTimeoutSeconds,
        int maxUnfinishedHandshakesPerAddress) {

    public ServerSettings {
        require(port >= 0 && port <= 65535, "server.port must be 0..65535");
        require(maxConnectionsPerAddress >= 0, "server.maxConnectionsPerAddress must be >= 0 (0: off)");
        require(maxHandshakesPerAddressPerSecond >= 0, "server.maxHandshakesPerAddressPerSecond must be >= 0 (0: off)");
        trustedProxies = List.copyOf(trustedProxies);
        require(handshakeTimeoutSeconds > 0, "server.handshakeTimeoutSeconds must be > 0");
        require(maxUnfinishedHandshakesPerAddress >= 0, "server.maxUnfinishedHandshakesPerAddress must be >= 0 (0: off)");
    }

    /** {@code server.maxConnections}: open WebSocket connections in all on this node, derived or set. */
    public int maxConnections() {
        return connectionBudget.maxConnections();
    }

    /**
     * {@code server.tls.*}: a PKCS12 keystore makes the standalone server's port serve https and wss only.
     *
     * @param keystore {@code server.tls.keystore} ("" for plain http and ws)
     * @param password {@code server.tls.password}
     */
    public record TlsSettings(String keystore, String password) {

        /** Never shows the password: settings end up in logs. */
        @Override
        public String toString() {
            return "TlsSettings[keystore=" + keystore + ", password=" + Settings.hidden(password) + "]";
        }
    }
}
