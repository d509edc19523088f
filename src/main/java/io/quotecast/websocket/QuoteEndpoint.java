package io.quotecast.websocket;

import io.quotecast.Quotecast;
import io.quotecast.market.BarInterval;
import io.quotecast.market.SymbolCatalog;
import io.quotecast.security.Refusal;
import io.quotecast.security.Verdict;
import io.quotecast.security.Viewer;
import io.quotecast.ops.MessageRate;
import io.quotecast.stream.CloseCode;
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
import java.util.concurrent.Future;

/**
 * The quote stream at {@code /quotes}: one instance per connection, speaking quotecast.v1.
 *
 * <p>Requests are answered in the order they arrive, through the connection's outbox: replies go
 * out ahead of live quotes already waiting there, and the outbox keeps the protocol's promises about
 * them (after {@code subscribed} the snapshot comes before any live quote of the symbol; after
 * {@code unsubscribed} no quote of it comes). See {@link Subscriber}.
 */
// No encoders registered: nothing is sent with sendObject. A tick is encoded once by QuoteEncoder
// for every subscriber, and replies by ServerMessageEncoder, before they reach the outbox.
@ServerEndpoint(value = Protocol.PATH,
        subprotocols = Protocol.NAME,
        decoders = ClientMessageDecoder.class,
        configurator = HandshakeConfigurator.class)
public class QuoteEndpoint {

    private static final System.Logger LOG = System.getLogger(QuoteEndpoint.class.getName());
    private static final ServerMessageEncoder MESSAGES = new ServerMessageEncoder();

    private final Quotecast quotecast;
    private final QuoteHub hub;
    private final SymbolCatalog catalog;
    private Subscriber subscriber;
    /** Who this is and what they may see; replaced by a successful {@code auth}, read by the expiry timer. */
    private volatile Viewer viewer;
    private Future<?> expiry;
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
        Verdict verdict = (Verdict) session.getUserProperties().get(HandshakeConfigurator.VERDICT);
        if (!(verdict instanceof Verdict.Admit admitted)) {
            refuse(session, verdict instanceof Verdict.Refuse refused ? refused.refusal().reason() : "not admitted at the handshake");
            return;
        }
        viewer = admitted.viewer();
        guard = ConnectionGuard.open(quotecast.operations(), session);
        if (!guard.admitted()) {
            return;
        }
        int maxFrameBytes = quotecast.settings().maxFrameBytes();
        session.setMaxTextMessageBufferSize(maxFrameBytes);
        session.setMaxBinaryMessageBufferSize(maxFrameBytes);
        subscriber = hub.connect(guard.counting(quotecast.sessionSinks().sinkFor(session)));
        guard.attach(subscriber);
        reply(new ServerMessage.Hello(Protocol.NAME, Protocol.SERVER, entitledSymbols().size(), quotecast.epoch(), viewer.user()));
        scheduleExpiry();
        List<String> fromUrl = session.getRequestParameterMap().get(Protocol.SYMBOLS_PARAMETER);
        if (fromUrl != null && !fromUrl.isEmpty()) {
            List<String> symbols = fromUrl.stream()
                    .flatMap(value -> Arrays.stream(value.split(",")))
                    .map(String::strip)
                    .filter(symbol -> !symbol.isEmpty())
                    .toList();
            if (!symbols.isEmpty()) {
                subscribe(symbols, null, null, null);
            }
        }
    }

    @OnMessage
    public void message(ClientMessage message) {
        if (!(message instanceof ClientMessage.TooBig) && !withinRate(actionOf(message))) {
            return;
        }
        if (message instanceof ClientMessage.Subscribe subscribe) {
            subscribe(subscribe.symbols(), subscribe.maxRate(), subscribe.since(), subscribe.epoch());
        } else if (message instanceof ClientMessage.Unsubscribe unsubscribe) {
            unsubscribe(unsubscribe.symbols());
        } else if (message instanceof ClientMessage.ListSymbols) {
            reply(new ServerMessage.SymbolList(entitledSymbols()));
        } else if (message instanceof ClientMessage.History history) {
            history(history);
        } else if (message instanceof ClientMessage.Auth auth) {
            auth(auth.token());
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
        if (expiry != null) {
            expiry.cancel(false);
        }
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

    /** Closes a connection refused at the handshake before anything is sent on it. */
    private static void refuse(Session session, String reason) {
        Closing.close(session, CloseCode.POLICY, reason);
    }

    /** At the token's {@code exp}, unless an {@code auth} moved it on, the connection ends with 1008. */
    private void scheduleExpiry() {
        Viewer current = viewer;
        if (current.expires() == null) {
            return;
        }
        if (expiry != null) {
            expiry.cancel(false);
        }
        Subscriber connection = subscriber;
        expiry = quotecast.tokenExpiry().at(current.expires(), () -> {
            if (viewer == current) {
                connection.close(CloseCode.POLICY, Refusal.EXPIRED_TOKEN.reason());
            }
        });
    }

    private void auth(String token) {
        Verdict verdict = quotecast.admission().reauthenticate(viewer, token);
        if (verdict instanceof Verdict.Admit admitted) {
            viewer = admitted.viewer();
            scheduleExpiry();
            reply(new ServerMessage.Authenticated(viewer.user(), viewer.expires().toEpochMilli()));
        } else if (verdict instanceof Verdict.Refuse refused) {
            reply(new ServerMessage.Error(ErrorCode.UNAUTHORIZED, refused.refusal().reason()
                    + "; the connection's current token stays in force", "auth"));
        }
    }

    /** The symbols this connection may subscribe to, in catalog order. */
    private List<io.quotecast.market.Symbol> entitledSymbols() {
        return catalog.all().stream().filter(symbol -> viewer.entitlements().allows(symbol.ticker())).toList();
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
                subscriber.close(CloseCode.POLICY, "messages kept coming above the rate limit");
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
            subscriber.close(CloseCode.TOO_BIG, reason);
            return;
        }
        // Tyrus in GlassFish reports an overflow of fragments after it has closed the connection itself
        // (with 1009), to a fresh endpoint instance that was never opened: there is nothing of ours to close.
        if (session != null && session.isOpen()) {
            Closing.close(session, CloseCode.TOO_BIG, reason);
        }
    }

    /**
     * Subscribes to the symbols not yet subscribed and sets the rate cap of all of them ({@code maxRate}
     * null: no cap); the {@code subscribed} reply lists those added and those whose cap this changed.
     * {@code since}: the client's last seen seq per symbol, to resume the added ones from; null for none.
     * {@code epoch}: the feed run those seq numbers belong to; numbers of another run resume nothing.
     */
    private void subscribe(List<String> requested, Double maxRate, Map<String, Long> since, String epoch) {
        Resolved symbols = resolve(requested, "subscribe", true);
        if (symbols == null) {
            return;
        }
        double rate = maxRate == null ? 0 : maxRate;
        long interval = QuoteHub.intervalNanos(rate);
        int[] added = symbols.known().stream().filter(s -> !subscriber.isSubscribed(s)).mapToInt(Integer::intValue).toArray();
        Map<Integer, Long> lastSeen = new HashMap<>();
        if (since != null) {
            boolean sameRun = epoch == null || epoch.equals(quotecast.epoch());
            since.forEach((symbol, seq) -> {
                int index = catalog.indexOf(symbol);
                if (index >= 0) {
                    lastSeen.put(index, sameRun ? seq : QuoteHub.SEQ_OF_ANOTHER_RUN);
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
        String ticker = catalog.get(symbol).ticker();
        if (!viewer.entitlements().allows(ticker)) {
            reply(new ServerMessage.Error(ErrorCode.FORBIDDEN, "not entitled to: " + ticker, "history"));
            return;
        }
        BarInterval interval = BarInterval.fromWireName(request.interval()).orElseThrow();
        reply(new ServerMessage.Bars(catalog.get(symbol).ticker(), interval.wireName(),
                quotecast.bars().bars(symbol, interval, request.limit())));
    }

    private void unsubscribe(List<String> requested) {
        Resolved symbols = resolve(requested, "unsubscribe", false);
        if (symbols == null) {
            return;
        }
        int[] removed = symbols.known().stream().filter(subscriber::isSubscribed).mapToInt(Integer::intValue).toArray();
        hub.unsubscribe(subscriber, removed, MESSAGES.encode(new ServerMessage.Unsubscribed(tickers(removed))));
    }

    /**
     * The listed symbols among those requested, in request order ({@code *} meaning all, or with
     * {@code entitledOnly} all the connection is entitled to); answers {@code unknown_symbol} for the
     * unlisted, {@code forbidden} (with {@code entitledOnly}) for those the token does not cover, and
     * returns null when no symbol is left.
     */
    private Resolved resolve(List<String> requested, String action, boolean entitledOnly) {
        Set<Integer> known = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        Set<String> forbidden = new LinkedHashSet<>();
        boolean all = false;
        for (String symbol : requested) {
            if (symbol.equals(ClientMessage.ALL)) {
                all = true;
                for (int i = 0; i < catalog.size(); i++) {
                    if (!entitledOnly || viewer.entitlements().allows(catalog.get(i).ticker())) {
                        known.add(i);
                    }
                }
                continue;
            }
            int index = catalog.indexOf(symbol);
            if (index < 0) {
                unknown.add(symbol);
            } else if (entitledOnly && !viewer.entitlements().allows(catalog.get(index).ticker())) {
                forbidden.add(catalog.get(index).ticker());
            } else {
                known.add(index);
            }
        }
        String rest = known.isEmpty() ? "" : "; the other symbols of the request still apply";
        if (!unknown.isEmpty()) {
            reply(new ServerMessage.Error(ErrorCode.UNKNOWN_SYMBOL, "not listed: " + String.join(", ", unknown) + rest, action));
        }
        if (!forbidden.isEmpty()) {
            reply(new ServerMessage.Error(ErrorCode.FORBIDDEN, "not entitled to: " + String.join(", ", forbidden) + rest, action));
        } else if (all && known.isEmpty() && entitledOnly) {
            reply(new ServerMessage.Error(ErrorCode.FORBIDDEN, "this connection is entitled to no symbol", action));
        }
        return known.isEmpty() ? null : new Resolved(List.copyOf(known));
    }

    private List<String> tickers(int[] symbols) {
        return Arrays.stream(symbols).mapToObj(i -> catalog.get(i).ticker()).toList();
    }

    private void reply(ServerMessage message) {
        if (subscriber == null) {
            return;
        }
        subscriber.send(MESSAGES.encode(message));
    }

    private record Resolved(List<Integer> known) {
    }
}
