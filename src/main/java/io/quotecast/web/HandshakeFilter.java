package io.quotecast.web;

import io.quotecast.Quotecast;
import io.quotecast.protocol.Protocol;
import io.quotecast.security.HandshakeFacts;
import io.quotecast.security.Verdict;
import io.quotecast.websocket.HandshakePeer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a WebSocket handshake to {@code /quotes} with 403 or 401 before the container upgrades it,
 * as the standalone server's Grizzly filter does: the Jakarta WebSocket API cannot fail a handshake
 * with a status of its choosing. The decision is the same {@link io.quotecast.security.Admission}'s
 * that the handshake configurator asks, which closes with 1008 wherever this filter is not in front.
 * It also hands the client's TCP address on to the handshake ({@link HandshakePeer}), for servers
 * that give the endpoint no way to learn it.
 */
@WebFilter(filterName = "quotecast-handshake", urlPatterns = Protocol.PATH, asyncSupported = true)
public class HandshakeFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            Quotecast quotecast = QuotecastWebListener.running(getServletContext());
            if (quotecast == null) {
                response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Quotecast is not running");
                return;
            }
            Verdict verdict = quotecast.admission().admit(new HandshakeFacts(request.getHeader("Origin"),
                    request.getHeader("Host"), request.getHeader("Authorization"),
                    request.getParameter(HandshakeFacts.ACCESS_TOKEN_PARAMETER)));
            if (verdict instanceof Verdict.Refuse refused) {
                int status = refused.refusal().httpStatus();
                response.setStatus(status);
                if (status == HttpServletResponse.SC_UNAUTHORIZED) {
                    response.setHeader("WWW-Authenticate", "Bearer realm=\"quotecast\", error=\"invalid_token\"");
                }
                response.setContentType("text/plain;charset=utf-8");
                byte[] body = (status + " " + refused.refusal().reason() + "\n").getBytes(StandardCharsets.UTF_8);
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
                return;
            }
        }
        HandshakePeer.set(request.getRemoteAddr());
        try {
            chain.doFilter(request, response);
        } finally {
            HandshakePeer.clear();
        }
    }
}
