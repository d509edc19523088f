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
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;

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
 * <p>A programmatic endpoint, deployed with {@link #config}: its {@link HandshakeConfigurator} admits
 * each connection and creates its endpoint with the application it belongs to, so nothing here looks
 * the application up. (Tyrus deploys an annotated class from its annotation alone, ignoring a
 * configuration handed to it; and the class being an {@link Endpoint} is also what makes Tyrus in
 * GlassFish set up its WebSocket container for the WAR at all.)
 *
 * <p>Requests are answered in the order they arrive, through the connection's outbox: replies go
 * out ahead of live quotes already waiting there, and the outbox keeps the protocol's promises about
 * them (after {@code subscribed} the snapshot comes before any live quote of the symbol; after
 * {@code unsubscribed} no quote of it comes). See {@link Subscriber}.
 */
// No encoders: nothing is sent with sendObject. A tick is encoded once by QuoteEncoder for every
// subscriber, and replies by ServerMessageEncoder, before they reach the outbox. No decoders either:
// frames come in as they arrive, and ClientFrames puts them together, within the size limit.
public final class QuoteEndpoint extends Endpoint {

    private static final System.Logger LOG = System.getLogger(QuoteEndpoint.class.getName());
    private static final ServerMessageEncoder MESSAGES = new ServerMessageEncoder();

    private final Quotecast quotecast;
    private final SessionSinks sinks;
    private final QuoteHub hub;
    private final SymbolCatalog catalog;
    private final ClientFrames frames;
    private Subscriber subscriber;
    /** Who this is and what they may see; replaced by a successful {@code auth}, read by the expiry timer. */
    private volatile Viewer viewer;
    private Future<?> expiry;
    /** Admission, message rate, keepalive and logs of this connection (issue 13). */
    private ConnectionGuard guard;

    /** One connection's endpoint, made by {@link HandshakeConfigurator#getEndpointInstance}. */
    QuoteEndpoint(Quotecast quotecast, SessionSinks sinks) {
        this.quotecast = quotecast;
        this.sinks = sinks;
        this.hub = quotecast.hub();
        this.catalog = hub.catalog();
        this.frames = new ClientFrames(quotecast.settings().maxFrameBytes());
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
        viewer = admitted.viewer();
        guard = ConnectionGuard.open(quotecast.operations(), session);
        if (!guard.admitted()) {
            return;
        }
        subscriber = hub.connect(guard.counting(sinks.sinkFor(session)));
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

    /** A client message, once whole (null: more of it is to come); the container calls this for one connection at a time. */
    private void message(ClientMessage message) {
        if (message == null || subscriber == null) {
            return; // a fragment, or a connection refused at open: closing already
        }
        if (message instanceof ClientMessage.TooBig tooBig) {
            subscriber.close(CloseCode.TOO_BIG, "message above the limit of " + tooBig.limit() + " bytes");
            return;
        }
        if (!withinRate(actionOf(message))) {
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
        }
    }

    /** The answer to the server's keepalive ping. */
    private void pong() {
        if (guard != null) {
            guard.pong();
        }
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
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
