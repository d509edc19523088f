package io.quotecast.websocket;

import io.quotecast.Quotecast;
import io.quotecast.market.BarInterval;
import io.quotecast.market.SymbolCatalog;
import io.quotecast.ops.MessageRate;
import io.quotecast.stream.QuoteHub;
import io.quotecast.stream.Subscriber;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The quote stream at {@code /quotes}: one instance per connection, speaking quotecast.v1.
 *
 * <p>Requests are answered in the order they arrive, through the connection's outbox, so a reply
 * never overtakes the quotes queued before it.
 */
@ServerEndpoint(value = Protocol.PATH,
        subprotocols = Protocol.NAME,
        decoders = ClientMessageDecoder.class,
        encoders = {ServerMessageEncoder.class, QuoteEncoder.class},
        configurator = HandshakeConfigurator.class)
public class QuoteEndpoint {

    private static final System.Logger LOG = System.getLogger(QuoteEndpoint.class.getName());
    private static final ServerMessageEncoder MESSAGES = new ServerMessageEncoder();

    /** Close code for a client frame above {@code connection.maxFrameBytes} (RFC 6455: message too big). */
    public static final int CLOSE_TOO_BIG = 1009;

    private final Quotecast quotecast;
    private final QuoteHub hub;
    private final SymbolCatalog catalog;
    private Subscriber subscriber;
    /** Admission, message rate, keepalive and logs of this connection (issue 13). */
    private ConnectionGuard guard;

    /** The container's constructor: binds to the Quotecast running in this application. */
    public QuoteEndpoint() {
        this(Quotecast.running());
    }

    QuoteEndpoint(Quotecast quotecast) {
        this.quotecast = quotecast;
        this.hub = quotecast.hub();
        this.catalog = hub.catalog();
    }

    @OnOpen
    public void open(Session session) {
        guard = ConnectionGuard.open(quotecast.operations(), session);
        if (!guard.admitted()) {
            return;
        }
        int maxFrameBytes = quotecast.settings().maxFrameBytes();
        session.setMaxTextMessageBufferSize(maxFrameBytes);
        session.setMaxBinaryMessageBufferSize(maxFrameBytes);
        subscriber = hub.connect(guard.counting(quotecast.sessionSinks().sinkFor(session)));
        guard.attach(subscriber);
        reply(new ServerMessage.Hello(Protocol.NAME, Protocol.SERVER, catalog.size()));
        List<String> fromUrl = session.getRequestParameterMap().get(Protocol.SYMBOLS_PARAMETER);
        if (fromUrl != null && !fromUrl.isEmpty()) {
            List<String> symbols = fromUrl.stream()
                    .flatMap(value -> Arrays.stream(value.split(",")))
                    .map(String::strip)
                    .filter(symbol -> !symbol.isEmpty())
                    .toList();
            if (!symbols.isEmpty()) {
                subscribe(symbols, null, null);
            }
        }
    }

    @OnMessage
    public void message(ClientMessage message) {
        if (!(message instanceof ClientMessage.TooBig) && !withinRate(actionOf(message))) {
            return;
        }
        if (message instanceof ClientMessage.Subscribe subscribe) {
            subscribe(subscribe.symbols(), subscribe.maxRate(), subscribe.since());
        } else if (message instanceof ClientMessage.Unsubscribe unsubscribe) {
            unsubscribe(unsubscribe.symbols());
        } else if (message instanceof ClientMessage.ListSymbols) {
            reply(new ServerMessage.SymbolList(catalog.all()));
        } else if (message instanceof ClientMessage.History history) {
            history(history);
        } else if (message instanceof ClientMessage.Invalid invalid) {
            reply(new ServerMessage.Error(invalid.code(), invalid.message(), invalid.action()));
        } else if (message instanceof ClientMessage.TooBig tooBig) {
            tooBig(null, tooBig.bytes() + " bytes");
        }
    }

    @OnMessage
    public void binary(ByteBuffer ignored) {
        if (!withinRate(null)) {
            return;
        }
        reply(new ServerMessage.Error(ErrorCode.BAD_REQUEST,
                "binary frames are not part of quotecast.v1: send JSON objects as text frames", null));
    }

    /** The answer to the server's keepalive ping. */
    @OnMessage
    public void pong(PongMessage pong) {
        if (guard != null) {
            guard.pong();
        }
    }

    @OnClose
    public void close(CloseReason reason) {
        if (guard != null) {
            guard.closed(reason);
        }
        if (subscriber != null) {
            hub.disconnect(subscriber);
        }
    }

    @OnError
    public void error(Session session, Throwable failure) {
        // A frame too large for the container's buffers surfaces here (Tyrus: a buffer "overflow"),
        // and the container would answer 1011: the client must see 1009, as for any frame above the limit.
        if (String.valueOf(failure.getMessage()).contains("overflow")) {
            LOG.log(System.Logger.Level.DEBUG, "client frame too big", failure);
            tooBig(session, "more than the read buffer");
            return;
        }
        // Abrupt disconnects land here as I/O errors; they are the client's business, not ours.
        if (failure instanceof IOException) {
            LOG.log(System.Logger.Level.DEBUG, "connection failed", failure);
        } else {
            LOG.log(System.Logger.Level.WARNING, "error on a quote stream connection", failure);
        }
    }

    /**
     * Spends one of the connection's message tokens: false, after answering {@code rate_limited} (or
     * closing a client that keeps on with 1008), if the message must not be applied.
     */
    private boolean withinRate(String action) {
        if (subscriber == null) {
            return false; // refused at open: closing already
        }
        switch (guard.onMessage()) {
            case ALLOW:
                return true;
            case REFUSE:
                int rate = quotecast.settings().maxMessagesPerSecond();
                reply(new ServerMessage.Error(ErrorCode.RATE_LIMITED, "more than " + rate + " messages a second (bursts of "
                        + MessageRate.burst(rate) + "): this one was not applied", action));
                return false;
            default:
                subscriber.close(ConnectionGuard.CLOSE_POLICY, "messages kept coming above the rate limit");
                return false;
        }
    }

    private static String actionOf(ClientMessage message) {
        if (message instanceof ClientMessage.Subscribe) {
            return "subscribe";
        } else if (message instanceof ClientMessage.Unsubscribe) {
            return "unsubscribe";
        } else if (message instanceof ClientMessage.ListSymbols) {
            return "list";
        } else if (message instanceof ClientMessage.History) {
            return "history";
        } else if (message instanceof ClientMessage.Invalid invalid) {
            return invalid.action();
        }
        return null;
    }

    private void tooBig(Session session, String size) {
        String reason = "frame of " + size + " is above the limit of " + quotecast.settings().maxFrameBytes() + " bytes";
        if (subscriber != null) {
            subscriber.close(CLOSE_TOO_BIG, reason);
            return;
        }
        // Tyrus in GlassFish reports an overflow of fragments after it has closed the connection itself
        // (with 1009), to a fresh endpoint instance that was never opened: there is nothing of ours to close.
        if (session != null && session.isOpen()) {
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.TOO_BIG, reason));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing an oversized connection failed", e);
            }
        }
    }

    /**
     * Subscribes to the symbols not yet subscribed and sets the rate cap of all of them ({@code maxRate}
     * null: no cap); {@code subscribed} lists those added and those whose cap this changed.
     * {@code since}: the client's last seen seq per symbol, to resume the added ones from; null for none.
     */
    private void subscribe(List<String> requested, Double maxRate, Map<String, Long> since) {
        Resolved symbols = resolve(requested, "subscribe");
        if (symbols == null) {
            return;
        }
        double rate = maxRate == null ? 0 : maxRate;
        long interval = QuoteHub.intervalNanos(rate);
        int[] added = symbols.known().stream().filter(s -> !subscriber.isSubscribed(s)).mapToInt(Integer::intValue).toArray();
        Map<Integer, Long> lastSeen = new HashMap<>();
        if (since != null) {
            since.forEach((symbol, seq) -> {
                int index = catalog.indexOf(symbol);
                if (index >= 0) {
                    lastSeen.put(index, seq);
                }
            });
        }
        int[] changed = symbols.known().stream()
                .filter(s -> !subscriber.isSubscribed(s) || subscriber.minIntervalNanos(s) != interval)
                .mapToInt(Integer::intValue).toArray();
        int limit = quotecast.settings().maxSymbolsPerConnection();
        if (subscriber.subscribedCount() + added.length > limit) {
            reply(new ServerMessage.Error(ErrorCode.TOO_MANY_SYMBOLS,
                    "this request would subscribe " + (subscriber.subscribedCount() + added.length)
                            + " symbols; the limit per connection is " + limit + ". Nothing was changed.",
                    "subscribe"));
            return;
        }
        int[] all = symbols.known().stream().mapToInt(Integer::intValue).toArray();
        hub.subscribe(subscriber, added, lastSeen, all, rate,
                MESSAGES.encode(new ServerMessage.Subscribed(tickers(changed))));
    }

    private void history(ClientMessage.History request) {
        int symbol = catalog.indexOf(request.symbol());
        if (symbol < 0) {
            reply(new ServerMessage.Error(ErrorCode.UNKNOWN_SYMBOL, "not listed: " + request.symbol(), "history"));
            return;
        }
        BarInterval interval = BarInterval.fromWireName(request.interval()).orElseThrow();
        reply(new ServerMessage.Bars(catalog.get(symbol).ticker(), interval.wireName(),
                quotecast.bars().bars(symbol, interval, request.limit())));
    }

    private void unsubscribe(List<String> requested) {
        Resolved symbols = resolve(requested, "unsubscribe");
        if (symbols == null) {
            return;
        }
        int[] removed = symbols.known().stream().filter(subscriber::isSubscribed).mapToInt(Integer::intValue).toArray();
        hub.unsubscribe(subscriber, removed, MESSAGES.encode(new ServerMessage.Unsubscribed(tickers(removed))));
    }

    /**
     * The listed symbols among those requested, in request order ({@code *} meaning all); answers
     * {@code unknown_symbol} for the others, and returns null when none of them is listed.
     */
    private Resolved resolve(List<String> requested, String action) {
        Set<Integer> known = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String symbol : requested) {
            if (symbol.equals(ClientMessage.ALL)) {
                for (int i = 0; i < catalog.size(); i++) {
                    known.add(i);
                }
                continue;
            }
            int index = catalog.indexOf(symbol);
            if (index < 0) {
                unknown.add(symbol);
            } else {
                known.add(index);
            }
        }
        if (!unknown.isEmpty()) {
            reply(new ServerMessage.Error(ErrorCode.UNKNOWN_SYMBOL,
                    "not listed: " + String.join(", ", unknown)
                            + (known.isEmpty() ? "" : "; the other symbols of the request still apply"),
                    action));
        }
        return known.isEmpty() ? null : new Resolved(List.copyOf(known));
    }

    private List<String> tickers(int[] symbols) {
        return Arrays.stream(symbols).mapToObj(i -> catalog.get(i).ticker()).toList();
    }

    private void reply(ServerMessage message) {
        subscriber.send(MESSAGES.encode(message));
    }

    private record Resolved(List<Integer> known) {
    }
}
