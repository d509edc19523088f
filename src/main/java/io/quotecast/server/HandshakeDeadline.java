package io.quotecast.server;

import io.quotecast.ops.ClientAddress;
import io.quotecast.ops.ConnectionLimits;
import io.quotecast.ops.RateLimitedWarning;
import io.quotecast.ops.UnfinishedHandshakes;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.Filter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.memory.Buffers;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deadlines for what is not yet a WebSocket: a request (a handshake, or any HTTP request; on https/wss its TLS
 * handshake too) must arrive whole within {@code server.handshakeTimeoutSeconds} of its first byte (of the
 * accept, for a new connection), and a kept-alive HTTP connection may idle as long between requests; past
 * that it is closed. Unfinished requests are capped per TCP peer ({@code server.maxUnfinishedHandshakesPerAddress}),
 * a new connection over the cap answered 503 and closed at once. A connection upgraded to a WebSocket (its 101
 * went out) leaves this bookkeeping for good: nothing here ever cuts a stream.
 *
 * <p>Two filters: {@link #transportSide()} right after the transport (it sees accepts, the raw bytes and closes)
 * and {@link #httpSide()} right after the HTTP codec (it sees whole requests and the responses going out).
 * Grizzly's own keep-alive idle timeout stays off: its filter would also cut quiet WebSockets, and a client
 * trickling a byte now and then resets it.
 */
final class HandshakeDeadline {

    private static final System.Logger LOG = System.getLogger(HandshakeDeadline.class.getName());

    /** Set once the connection's 101 went out: a WebSocket, outside every deadline here. */
    private static final Attribute<Boolean> UPGRADED =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(HandshakeDeadline.class.getName() + ".upgraded");
    /** The address a connection counts against; absent for a trusted proxy, which is not capped. */
    private static final Attribute<String> COUNTED_AS =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(HandshakeDeadline.class.getName() + ".address");

    private final UnfinishedHandshakes<Connection<?>> unfinished;
    private final ConnectionLimits limits;
    private final ClientAddress addresses;
    private final boolean tls;
    private final int maxPerAddress;
    private final RateLimitedWarning capWarning = new RateLimitedWarning(TimeUnit.SECONDS.toNanos(5), System::nanoTime);

    HandshakeDeadline(int timeoutSeconds, int maxPerAddress, ConnectionLimits limits, ClientAddress addresses, boolean tls,
                      ScheduledExecutorService timer) {
        this.unfinished = new UnfinishedHandshakes<>(TimeUnit.SECONDS.toNanos(timeoutSeconds), maxPerAddress);
        this.limits = limits;
        this.addresses = addresses;
        this.tls = tls;
        this.maxPerAddress = maxPerAddress;
        // a tenth of the deadline late at most, and never busier than 20 sweeps a second
        long period = Math.max(50, TimeUnit.SECONDS.toMillis(timeoutSeconds) / 10);
        timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /** Connections waiting for a request or idle between two, now. */
    int tracked() {
        return unfinished.tracked();
    }

    private void sweep() {
        try {
            for (UnfinishedHandshakes.Expired<Connection<?>> expired : unfinished.expired(System.nanoTime())) {
                if (expired.unfinished()) {
                    limits.refusedEarly(ConnectionLimits.Reason.HANDSHAKE_TIMEOUT);
                }
                expired.connection().closeSilently();
            }
        } catch (RuntimeException e) {
            // an exception would end the scheduled sweep for good
            LOG.log(System.Logger.Level.ERROR, "handshake deadline sweep failed", e);
        }
    }

    /** Right after the transport filter: accepts, raw reads (a new request's first byte), closes. */
    Filter transportSide() {
        return new BaseFilter() {
            @Override
            public NextAction handleAccept(FilterChainContext ctx) {
                Connection<?> connection = ctx.getConnection();
                String peer = peer(connection);
                if (peer != null && !addresses.isTrustedProxy(peer)) {
                    COUNTED_AS.set(connection, peer);
                }
                return begin(ctx, connection) ? ctx.getInvokeAction() : ctx.getStopAction();
            }

            @Override
            public NextAction handleRead(FilterChainContext ctx) {
                Connection<?> connection = ctx.getConnection();
                if (Boolean.TRUE.equals(UPGRADED.get(connection)) || unfinished.waiting(connection)) {
                    return ctx.getInvokeAction();
                }
                // a kept-alive connection's next request (or a pipelined one) starts its own deadline
                return begin(ctx, connection) ? ctx.getInvokeAction() : ctx.getStopAction();
            }

            @Override
            public NextAction handleClose(FilterChainContext ctx) {
                unfinished.forget(ctx.getConnection());
                return ctx.getInvokeAction();
            }
        };
    }

    /** Right after the HTTP codec: a whole request arrived, a response goes out, a 101 upgrades. */
    Filter httpSide() {
        return new BaseFilter() {
            @Override
            public NextAction handleRead(FilterChainContext ctx) {
                // Past the 101 the codec hands up every WebSocket frame (a pong, a subscribe) as content of the
                // upgrade request: taken for a new request, it would restart a deadline that closes the stream.
                if (ctx.getMessage() instanceof HttpContent content && content.getHttpHeader().isRequest()
                        && !Boolean.TRUE.equals(UPGRADED.get(ctx.getConnection()))
                        && (content.isLast() || "websocket".equalsIgnoreCase(content.getHttpHeader().getUpgrade()))) {
                    unfinished.idle(ctx.getConnection(), System.nanoTime());
                }
                return ctx.getInvokeAction();
            }

            @Override
            public NextAction handleWrite(FilterChainContext ctx) {
                Connection<?> connection = ctx.getConnection();
                HttpHeader header = ctx.getMessage() instanceof HttpContent content ? content.getHttpHeader()
                        : ctx.getMessage() instanceof HttpHeader h ? h : null;
                if (header instanceof HttpResponsePacket response && response.getStatus() == 101) {
                    UPGRADED.set(connection, Boolean.TRUE);
                    unfinished.forget(connection);
                } else if (!Boolean.TRUE.equals(UPGRADED.get(connection)) && !unfinished.waiting(connection)) {
                    unfinished.idle(connection, System.nanoTime()); // a response flowing is not idle
                }
                return ctx.getInvokeAction();
            }
        };
    }

    /** Starts the connection's deadline, or refuses it at once when its address holds too many unfinished ones. */
    private boolean begin(FilterChainContext ctx, Connection<?> connection) {
        String address = COUNTED_AS.get(connection);
        if (unfinished.begin(connection, address, System.nanoTime())) {
            return true;
        }
        limits.refusedEarly(ConnectionLimits.Reason.UNFINISHED_HANDSHAKES_PER_ADDRESS);
        long refused = capWarning.occurred();
        if (refused > 0) {
            LOG.log(System.Logger.Level.WARNING, "refused " + refused + " connection(s) from " + address + ": it already has "
                    + maxPerAddress + " unfinished requests open (server.maxUnfinishedHandshakesPerAddress)");
        }
        refuseAtOnce(ctx, connection);
        return false;
    }

    /** Plain HTTP: a 503 and close. Over TLS the bytes would mean nothing before the TLS handshake: close. */
    private void refuseAtOnce(FilterChainContext ctx, Connection<?> connection) {
        if (tls) {
            connection.closeSilently();
            return;
        }
        ctx.write(Buffers.wrap(ctx.getMemoryManager(), BUSY), new org.glassfish.grizzly.EmptyCompletionHandler<>() {
            @Override
            public void completed(org.glassfish.grizzly.WriteResult result) {
                connection.closeSilently();
            }

            @Override
            public void failed(Throwable error) {
                connection.closeSilently();
            }
        });
    }

    /** The answer to a client refused before its request was read: written raw, the request is not there yet. */
    static final byte[] BUSY = busy("too many unfinished requests from this address: try again later");

    /** A whole HTTP/1.1 503 with {@code Retry-After}, closing the connection. */
    static byte[] busy(String reason) {
        String body = "503 " + reason + "\n";
        return ("HTTP/1.1 503 Service Unavailable\r\nRetry-After: " + HandshakeGate.RETRY_AFTER_SECONDS
                + "\r\nContent-Type: text/plain;charset=utf-8\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    private static String peer(Connection<?> connection) {
        return connection.getPeerAddress() instanceof InetSocketAddress address && address.getAddress() != null
                ? address.getAddress().getHostAddress() : null;
    }
}
