package io.quotecast.websocket;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The quote stream's handshake hook. For admission limits it keeps what only the handshake sees,
 * the {@code X-Forwarded-For} header, in the connection's user properties (Jakarta WebSocket 2.1:
 * a per-connection copy that becomes the session's), for {@link ConnectionGuard} to judge the
 * connection by its real client address when it opens.
 */
public class HandshakeConfigurator extends ServerEndpointConfig.Configurator {

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        super.modifyHandshake(config, request, response);
        ConnectionGuard.keepForwardedFor(config.getUserProperties(), request.getHeaders());
    }
}
