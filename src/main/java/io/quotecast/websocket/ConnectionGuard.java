package io.quotecast.websocket;

import io.quotecast.ops.ConnectionLimits;
import io.quotecast.ops.CountingSink;
import io.quotecast.ops.Keepalive;
import io.quotecast.ops.Operations;
import io.quotecast.protocol.ProtocolSession;
import io.quotecast.stream.CloseCode;
import io.quotecast.stream.FrameSink;
import io.quotecast.stream.Subscriber;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import java.util.List;
import java.util.Map;

/**
 * One connection's side of {@link Operations}: its admission (and its place under the limits, given
 * back once when it closes), its keepalive, its traffic count, the count of its messages refused for
 * their rate (the rate itself is the protocol's rule, judged by its {@link ProtocolSession}), and the
 * two log lines every connection gets, at open and at close.
 */
final class ConnectionGuard implements Keepalive.Peer, ProtocolSession.Listener {

    private static final System.Logger LOG = System.getLogger(ConnectionGuard.class.getName());
    /** User property holding the handshake's {@code X-Forwarded-For}, set by {@link HandshakeConfigurator}. */
    private static final String FORWARDED_FOR = "io.quotecast.forwardedFor";
    private static final String FORWARDED_FOR_HEADER = "X-Forwarded-For";

    private final Operations operations;
    private final Session session;
    private final String address;
    private final long openedNanos = System.nanoTime();
    private final ConnectionLimits.Ticket ticket;
    // Set at open, read at close and by the keepalive thread: the container may use other threads for those.
    private volatile Keepalive.Watch watch;
    private volatile CountingSink sink;
    /** The transport under {@link #sink}: pings go through it, ordered with its writes. */
    private volatile SessionSink transport;
    private volatile Subscriber subscriber;

    private ConnectionGuard(Operations operations, Session session, String address, ConnectionLimits.Ticket ticket) {
        this.operations = operations;
        this.session = session;
        this.address = address;
        this.ticket = ticket;
    }

    /** Called by the handshake: keeps {@code X-Forwarded-For} for {@link #open}; forgets any earlier one. */
    static void keepForwardedFor(Map<String, Object> userProperties, Map<String, List<String>> headers) {
        userProperties.remove(FORWARDED_FOR);
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (FORWARDED_FOR_HEADER.equalsIgnoreCase(header.getKey()) && header.getValue() != null) {
                userProperties.put(FORWARDED_FOR, String.join(",", header.getValue()));
            }
        }
    }

    /**
     * Admits the new connection or closes it with {@link CloseCode#TRY_AGAIN_LATER}. Whatever the verdict, the endpoint's close
     * handler must call {@link #closed}.
     */
    static ConnectionGuard open(Operations operations, Session session) {
        Object forwarded = session.getUserProperties().get(FORWARDED_FOR);
        String address = operations.addresses().resolve(PeerAddress.of(session), forwarded instanceof String s ? s : null);
        ConnectionLimits.Admission admission = operations.limits().admit(address, System.nanoTime());
        if (admission instanceof ConnectionLimits.Admitted admitted) {
            LOG.log(System.Logger.Level.INFO, "connection open: address={0} user={1} id={2}",
                    address, user(session), session.getId());
            return new ConnectionGuard(operations, session, address, admitted.ticket());
        }
        ConnectionLimits.Refused refused = (ConnectionLimits.Refused) admission;
        LOG.log(System.Logger.Level.INFO, "connection refused: address={0} user={1} limit={2}",
                address, user(session), refused.reason().tag());
        ConnectionGuard guard = new ConnectionGuard(operations, session, address, null);
        Closing.close(session, CloseCode.TRY_AGAIN_LATER, refused.message());
        return guard;
    }

    boolean admitted() {
        return ticket != null;
    }

    /** The connection's sink, counted. */
    FrameSink counting(SessionSink transport) {
        this.transport = transport;
        operations.opened(transport.writePath());
        sink = operations.counting(transport);
        return sink;
    }

    /** The connection has its subscriber: keepalive starts. */
    void attach(Subscriber subscriber) {
        this.subscriber = subscriber;
        this.watch = operations.keepalive().watch(this);
    }

    /** A client message arrived: the connection is alive. */
    @Override
    public void messageArrived() {
        Keepalive.Watch current = watch;
        if (current != null) {
            current.activity();
        }
    }

    /** A client message was refused for its rate: counted, and logged when the client is closed for it. */
    @Override
    public void rateLimited(boolean closing) {
        operations.rateLimited();
        if (closing) {
            LOG.log(System.Logger.Level.INFO, "closing a client that keeps sending above the rate: address={0}", address);
        }
    }

    void pong() {
        Keepalive.Watch current = watch;
        if (current != null) {
            current.pong();
        }
    }

    /** The connection closed, however: give its place back (once), stop its keepalive, log and count it. */
    void closed(CloseReason reason) {
        Keepalive.Watch current = watch;
        if (current != null) {
            current.cancel();
        }
        int code = reason.getCloseCode().getCode();
        CountingSink counted = sink;
        if (ticket != null) {
            ticket.release();
            LOG.log(System.Logger.Level.INFO,
                    "connection closed: address={0} user={1} id={2} code={3} reason=\"{4}\" bytesSent={5} quotesSent={6} seconds={7}",
                    address, user(session), session.getId(), Integer.toString(code), reason.getReasonPhrase(),
                    Long.toString(counted == null ? 0 : counted.bytesSent()), Long.toString(counted == null ? 0 : counted.quotesSent()),
                    Long.toString((System.nanoTime() - openedNanos) / 1_000_000_000));
        }
        operations.closed(code, subscriber);
    }

    @Override
    public void ping() {
        SessionSink current = transport;
        if (current != null) {
            current.ping();
        }
    }

    @Override
    public void close(CloseCode code, String reason) {
        LOG.log(System.Logger.Level.INFO, "closing a connection: address={0} code={1} reason=\"{2}\"",
                address, Integer.toString(code.code()), reason);
        Subscriber current = subscriber;
        if (current != null) {
            current.close(code, reason);
        }
    }

    @Override
    public boolean subscribed() {
        Subscriber current = subscriber;
        return current != null && current.subscribedCount() > 0;
    }

    private static String user(Session session) {
        return session.getUserPrincipal() == null ? "-" : session.getUserPrincipal().getName();
    }
}
