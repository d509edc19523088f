package io.quotecast.websocket;

import io.quotecast.Quotecast;
import io.quotecast.protocol.ProtocolContext;
import io.quotecast.security.HandshakeFacts;
import io.quotecast.security.Verdict;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import java.util.List;
import java.util.Map;

/**
 * The quote stream's one configurator: admission at the WebSocket handshake, in every container, for
 * security and for limits alike, and the endpoint of each admitted connection, made with the
 * application it belongs to (handed in by whoever deploys {@link QuoteEndpoint#config}: no static
 * locator, so two applications in one JVM, or a redeployed WAR, never see each other's).
 * Origin and token are checked by {@link io.quotecast.security.Admission}, and its {@link Verdict}
 * is handed to the endpoint through the connection's user properties (a copy per connection since
 * Jakarta WebSocket 2.1); the {@code X-Forwarded-For} header, which only the handshake sees, is kept
 * there too, for {@link ConnectionGuard} to judge the connection by its real client address.
 *
 * <p>The portable API cannot answer a handshake with an HTTP status, so a refusal here makes the
 * endpoint close with 1008 (a token) or 1013 (a limit) before anything is sent. In front of it, the
 * standalone server's Grizzly filter and the WAR's servlet filter refuse bad tokens and origins
 * earlier with 401 or 403; this is the check that holds wherever those cannot run.
 */
final class HandshakeConfigurator extends ServerEndpointConfig.Configurator {

    /** The user property holding the connection's {@link Verdict}. */
    static final String VERDICT = Verdict.class.getName();

    private final Quotecast quotecast;
    /** What every connection's protocol session of this application shares. */
    private final ProtocolContext protocol;
    private final SessionSinks sinks;

    HandshakeConfigurator(Quotecast quotecast, SessionSinks sinks) {
        this.quotecast = quotecast;
        this.protocol = QuoteEndpoint.protocolOf(quotecast);
        this.sinks = sinks;
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        super.modifyHandshake(config, request, response);
        Verdict verdict = quotecast.admission().admit(facts(request));
        config.getUserProperties().put(VERDICT, verdict);
        ConnectionGuard.keepForwardedFor(config.getUserProperties(), request.getHeaders());
        PeerAddress.keepFromHandshake(config.getUserProperties(), HandshakePeer.current());
    }

    /** Each connection's own endpoint, bound to this application. */
    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        return endpointClass.cast(new QuoteEndpoint(quotecast, protocol, sinks));
    }

    static HandshakeFacts facts(HandshakeRequest request) {
        Map<String, List<String>> headers = request.getHeaders();
        List<String> token = request.getParameterMap().get(HandshakeFacts.ACCESS_TOKEN_PARAMETER);
        return new HandshakeFacts(header(headers, "Origin"), header(headers, "Host"), header(headers, "Authorization"),
                token == null || token.isEmpty() ? null : token.get(0));
    }

    /** Header names are case-insensitive, and containers differ in how they key this map. */
    private static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (name.equalsIgnoreCase(entry.getKey()) && entry.getValue() != null && !entry.getValue().isEmpty()) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }
}
