package io.quotecast.server;

import io.quotecast.ops.ConnectionLimits;
import io.quotecast.security.Admission;
import io.quotecast.security.HandshakeFacts;
import io.quotecast.security.Verdict;
import io.quotecast.server.tyrus.UpgradedChain;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.util.HttpStatus;
import org.glassfish.grizzly.memory.Buffers;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Answers a refused WebSocket handshake with its HTTP status (403 for a foreign origin, 401 for a
 * token), in the Grizzly filter chain just before Tyrus's, which would otherwise upgrade it: the
 * Jakarta WebSocket API has no portable way to fail a handshake with a status of our choosing.
 * The decision is {@link Admission}'s, the same one the handshake configurator asks. A full node
 * answers 503 with {@code Retry-After} here too, before the upgrade, rather than 1013 after it.
 */
final class HandshakeGate extends BaseFilter {

    /** Set on a connection once its handshake passed: its WebSocket frames then pass unexamined. */
    private static final Attribute<Boolean> PASSED =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(HandshakeGate.class.getName() + ".passed");

    /** Seconds a client refused for a full node is told to wait: the dashboard waits as long after a 1013. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final Admission admission;
    private final ConnectionLimits limits;
    /** Where an upgraded connection moves once its handshake is processed; null to keep it here (TLS). */
    private final UpgradedChain upgraded;

    HandshakeGate(Admission admission, ConnectionLimits limits, UpgradedChain upgraded) {
        this.admission = admission;
        this.limits = limits;
        this.upgraded = upgraded;
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) {
        if (!(ctx.getMessage() instanceof HttpContent content)) {
            return ctx.getInvokeAction();
        }
        HttpHeader header = content.getHttpHeader();
        Connection<?> connection = ctx.getConnection();
        if (!header.isRequest() || !"websocket".equalsIgnoreCase(header.getUpgrade()) || Boolean.TRUE.equals(PASSED.get(connection))) {
            return ctx.getInvokeAction();
        }
        // every upgrade, whatever its path: the stream is this server's only WebSocket endpoint, and a
        // spelling of its path that Tyrus matches but a comparison here did not (/quotes;x, //quotes) must not slip by
        HttpRequestPacket request = (HttpRequestPacket) header;
        Verdict verdict = admission.admit(new HandshakeFacts(request.getHeader("Origin"), request.getHeader("Host"),
                request.getHeader("Authorization"), accessToken(request.getQueryString())));
        if (verdict instanceof Verdict.Refuse refused) {
            refuse(ctx, request, refused.refusal().httpStatus(), refused.refusal().reason());
            return ctx.getStopAction();
        }
        if (limits.full()) {
            limits.refusedEarly(ConnectionLimits.Reason.MAX_CONNECTIONS);
            refuse(ctx, request, 503, "the server is at its limit of " + limits.maxConnections() + " connections: try again later");
            return ctx.getStopAction();
        }
        PASSED.set(connection, Boolean.TRUE);
        if (upgraded != null) {
            // once the whole chain, Tyrus's filter included, is done with the handshake's bytes
            ctx.addCompletionListener(done -> upgraded.release(connection));
        }
        return ctx.getInvokeAction();
    }

    /**
     * The 101 of an admitted handshake moves the connection onto the upgraded chain as it goes out: before
     * the client can send a frame, and before Grizzly reads from the connection again (it does not while
     * this read is processed), so that no frame is read by the HTTP chain once it starts letting go.
     */
    @Override
    public NextAction handleWrite(FilterChainContext ctx) {
        if (upgraded != null && ctx.getMessage() instanceof HttpContent content
                && content.getHttpHeader() instanceof HttpResponsePacket response && response.getStatus() == 101
                && Boolean.TRUE.equals(PASSED.get(ctx.getConnection()))) {
            upgraded.moveOnto(ctx.getConnection());
        }
        return ctx.getInvokeAction();
    }

    private static void refuse(FilterChainContext ctx, HttpRequestPacket request, int status, String reason) {
        HttpResponsePacket response = request.getResponse();
        HttpStatus.getHttpStatus(status).setValues(response);
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"quotecast\", error=\"invalid_token\"");
        }
        if (status == 503) {
            response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        }
        byte[] body = (status + " " + reason + "\n").getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/plain;charset=utf-8");
        response.setContentLength(body.length);
        response.getProcessingState().setKeepAlive(false);
        Connection<?> connection = ctx.getConnection();
        ctx.write(HttpContent.builder(response).content(Buffers.wrap(ctx.getMemoryManager(), body)).last(true).build(),
                new EmptyCompletionHandler<WriteResult>() {
                    @Override
                    public void completed(WriteResult result) {
                        connection.closeSilently();
                    }

                    @Override
                    public void failed(Throwable error) {
                        connection.closeSilently();
                    }
                });
    }

    /** The first {@code access_token} of a raw query string, decoded; null if none. */
    static String accessToken(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (name.equals(HandshakeFacts.ACCESS_TOKEN_PARAMETER) && equals >= 0) {
                try {
                    return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return pair.substring(equals + 1); // badly encoded: let verification refuse it
                }
            }
        }
        return null;
    }
}
