package io.quotecast.websocket;

import io.quotecast.Quotecast;
import io.quotecast.protocol.ClientMessage;
import io.quotecast.protocol.Protocol;
import io.quotecast.protocol.ProtocolContext;
import io.quotecast.protocol.ProtocolSession;
import io.quotecast.protocol.SessionClock;
import io.quotecast.security.Verdict;
import io.quotecast.stream.CloseCode;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The quote stream at {@code /quotes}: one instance per connection, adapting the Jakarta WebSocket
 * life cycle to the connection's {@link ProtocolSession}, where every rule of quotecast.v1 lives.
 *
 * <p>A programmatic endpoint, deployed with {@link #config}: its {@link HandshakeConfigurator} admits
 * each connection and creates its endpoint with the application it belongs to, so nothing here looks
 * the application up. (Tyrus deploys an annotated class from its annotation alone, ignoring a
 * configuration handed to it; and the class being an {@link Endpoint} is also what makes Tyrus in
 * GlassFish set up its WebSocket container for the WAR at all.)
 *
 * <p>What is left here is the transport's: the message handlers and the container's buffer sizes,
 * the verdict of the handshake, the connection's {@link ConnectionGuard} (limits, keepalive, counts
 * and logs), its {@link io.quotecast.stream.FrameSink} over the session, and the URL's query.
 */
// No encoders: nothing is sent with sendObject. A tick is encoded once by QuoteEncoder for every
// subscriber, and replies by the protocol's ServerMessageEncoder, before they reach the outbox. No
// decoders either: frames come in as they arrive, and ClientFrames puts them together, within the size limit.
public final class QuoteEndpoint extends Endpoint {

    private static final System.Logger LOG = System.getLogger(QuoteEndpoint.class.getName());

    private final Quotecast quotecast;
    private final ProtocolContext protocol;
    private final SessionSinks sinks;
    private final ClientFrames frames;
    /** The connection's rules; null until it is admitted (and for good if it is not). */
    private ProtocolSession connection;
    /** Admission, keepalive, counts and logs of this connection. */
    private ConnectionGuard guard;

    /** One connection's endpoint, made by {@link HandshakeConfigurator#getEndpointInstance}. */
    QuoteEndpoint(Quotecast quotecast, ProtocolContext protocol, SessionSinks sinks) {
        this.quotecast = quotecast;
        this.protocol = protocol;
        this.sinks = sinks;
        this.frames = new ClientFrames(quotecast.settings().connection().maxFrameBytes());
    }

    /**
     * The stream's deployment: {@code /quotes}, subprotocol quotecast.v1, admitted and bound to
     * {@code quotecast} by its configurator; {@code sinks} make each connection's transport. The
     * standalone server registers it with its Tyrus engine, the WAR's listener with the container's
     * {@code ServerContainer}.
     */
    public static ServerEndpointConfig config(Quotecast quotecast, SessionSinks sinks) {
        return ServerEndpointConfig.Builder.create(QuoteEndpoint.class, Protocol.PATH)
                .subprotocols(List.of(Protocol.NAME))
                .configurator(new HandshakeConfigurator(quotecast, sinks))
                .build();
    }

    /** What the protocol sessions of {@code quotecast} share: its hub, bars, admission, epoch, limits and clocks. */
    static ProtocolContext protocolOf(Quotecast quotecast) {
        return new ProtocolContext(quotecast.hub(), quotecast.bars(), quotecast.admission(), quotecast::epoch,
                quotecast.settings().connection().maxSymbols(), quotecast.settings().connection().maxMessagesPerSecond(),
                SessionClock.system(quotecast.tokenExpiry()));
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        // Partial handlers: the container hands over each frame as it comes and keeps none, so the
        // size limit is ours to count (ClientFrames), whatever the container and however the client
        // splits its message. Set before anything else, so that a refused connection's frames are dropped too.
        session.addMessageHandler(String.class, (MessageHandler.Partial<String>) (text, last) -> message(frames.text(text, last)));
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (data, last) ->
                message(frames.binary(data.remaining(), last)));
        session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> pong());
        // The container's buffer for what it hands over at a time: some allocate it whole (Tomcat), some
        // bound even a partial frame by it (Undertow). Room for one whole message at the limit (a char
        // takes at least one of its UTF-8 bytes) is what every container can honour; above it the
        // container may close with 1009 itself before ClientFrames does.
        session.setMaxTextMessageBufferSize(frames.containerBufferSize());
        session.setMaxBinaryMessageBufferSize(frames.containerBufferSize());
        Verdict verdict = (Verdict) session.getUserProperties().get(HandshakeConfigurator.VERDICT);
        if (!(verdict instanceof Verdict.Admit admitted)) {
            Closing.close(session, CloseCode.POLICY,
                    verdict instanceof Verdict.Refuse refused ? refused.refusal().reason() : "not admitted at the handshake");
            return;
        }
        guard = ConnectionGuard.open(quotecast.operations(), session);
        if (!guard.admitted()) {
            return;
        }
        ProtocolSession opened = new ProtocolSession(protocol, admitted.viewer(), guard.counting(sinks.sinkFor(session)), guard);
        guard.attach(opened.subscriber());
        connection = opened;
        opened.open(session.getRequestParameterMap().get(Protocol.SYMBOLS_PARAMETER));
    }

    /** A client message, once whole (null: more of it is to come); the container calls this for one connection at a time. */
    private void message(ClientMessage message) {
        if (message == null || connection == null) {
            return; // a fragment, or a connection refused at open: closing already
        }
        connection.onMessage(message);
    }

    /** The answer to the server's keepalive ping. */
    private void pong() {
        if (guard != null) {
            guard.pong();
        }
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        if (guard != null) {
            guard.closed(reason);
        }
        if (connection != null) {
            connection.closed();
        }
    }

    @Override
    public void onError(Session session, Throwable failure) {
        // Abrupt disconnects land here as I/O errors; they are the client's business, not ours.
        // (An oversized message never does: its size is counted by ClientFrames, not by the container.)
        if (failure instanceof IOException) {
            LOG.log(System.Logger.Level.DEBUG, "connection failed", failure);
        } else {
            LOG.log(System.Logger.Level.WARNING, "error on a quote stream connection", failure);
        }
    }
}
