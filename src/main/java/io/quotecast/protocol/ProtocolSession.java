package io.quotecast.protocol;

import io.quotecast.market.BarInterval;
import io.quotecast.market.Symbol;
import io.quotecast.market.SymbolCatalog;
import io.quotecast.ops.MessageRate;
import io.quotecast.security.Refusal;
import io.quotecast.security.Verdict;
import io.quotecast.security.Viewer;
import io.quotecast.stream.CloseCode;
import io.quotecast.stream.FrameSink;
import io.quotecast.stream.QuoteHub;
import io.quotecast.stream.Subscriber;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * The protocol's rules for one connection, with no transport: {@code hello}, the URL form
 * ({@code ?symbols=}), {@code subscribe} (symbols resolved with {@code *}, {@code unknown_symbol},
 * entitlements and {@code forbidden}, the symbol limit, {@code maxRate}, resuming with {@code since}
 * and {@code epoch}), {@code unsubscribe}, {@code list}, {@code history}, {@code auth} and the token's
 * expiry, the message rate ({@code rate_limited}, then 1008 for a client that keeps on), the size
 * limit (1009) and the answer to an invalid request. docs/protocol.md is the contract it keeps.
 *
 * <p>Driven by decoded {@link ClientMessage}s; it answers through the connection's {@link Subscriber}
 * in the hub, made on the {@link FrameSink} it is given. The transport (websocket's endpoint) only
 * adapts its life cycle to this: it makes the session once the connection is admitted, calls
 * {@link #open}, hands over each whole message ({@link #onMessage}) and reports the close
 * ({@link #closed}). Time comes from the context's {@link SessionClock}.
 *
 * <p>Requests are answered in the order they arrive, through the connection's outbox: replies go
 * out ahead of live quotes already waiting there, and the outbox keeps the protocol's promises about
 * them (after {@code subscribed} the snapshot comes before any live quote of the symbol; after
 * {@code unsubscribed} no quote of it comes). See {@link Subscriber}.
 *
 * <p>Threads: {@link #open} and {@link #onMessage} are called for one connection at a time (a
 * container delivers one connection's messages in order); the expiry runs on the clock's timer
 * thread and reads only the volatile viewer.
 */
public final class ProtocolSession {

    private static final ServerMessageEncoder MESSAGES = new ServerMessageEncoder();

    private final ProtocolContext context;
    private final QuoteHub hub;
    private final SymbolCatalog catalog;
    private final Listener listener;
    private final MessageRate rate;
    private final Subscriber subscriber;
    /** Who this is and what they may see; replaced by a successful {@code auth}, read by the expiry timer. */
    private volatile Viewer viewer;
    private volatile Future<?> expiry;

    /**
     * What the side of the connection that counts and watches it (limits, keepalive, metrics, logs)
     * hears of its messages. Called on the thread that handed the message over.
     */
    public interface Listener {

        /** A whole client message arrived (one within the size limit), before its rate is judged. */
        default void messageArrived() {
        }

        /** A message above the rate was refused ({@code closing}: and the client is closed for keeping on). */
        default void rateLimited(boolean closing) {
        }
    }

    /**
     * The session of a connection admitted as {@code viewer}: a new connection in the context's hub,
     * writing to {@code sink}, with nothing subscribed and nothing sent yet ({@link #open} sends hello).
     */
    public ProtocolSession(ProtocolContext context, Viewer viewer, FrameSink sink, Listener listener) {
        this.context = context;
        this.hub = context.hub();
        this.catalog = hub.catalog();
        this.viewer = viewer;
        this.listener = listener;
        this.rate = new MessageRate(context.maxMessagesPerSecond(), context.clock().nanoTime());
        this.subscriber = hub.connect(sink);
    }

    /** The connection in the hub: what keepalive watches and closes, and metrics read at the close. */
    public Subscriber subscriber() {
        return subscriber;
    }

    /**
     * The connection is open: {@code hello}, then the watch on the token's expiry, then the URL form:
     * {@code symbolsParameter}, the values of the {@code symbols} query parameter (null or empty
     * when there is none), each a comma-separated list, is subscribed as if the client had sent it.
     */
    public void open(List<String> symbolsParameter) {
        reply(new ServerMessage.Hello(Protocol.NAME, Protocol.SERVER, entitledSymbols().size(), context.epoch().get(),
                viewer.user()));
        scheduleExpiry();
        if (symbolsParameter != null && !symbolsParameter.isEmpty()) {
            List<String> symbols = symbolsParameter.stream()
                    .flatMap(value -> Arrays.stream(value.split(",")))
                    .map(String::strip)
                    .filter(symbol -> !symbol.isEmpty())
                    .toList();
            if (!symbols.isEmpty()) {
                subscribe(symbols, null, null, null);
            }
        }
    }

    /** A whole client message, decoded (or {@link ClientMessage.TooBig} as soon as it passes the size limit). */
    public void onMessage(ClientMessage message) {
        if (message instanceof ClientMessage.TooBig tooBig) {
            subscriber.close(CloseCode.TOO_BIG, "message above the limit of " + tooBig.limit() + " bytes");
            return;
        }
        if (!withinRate(message.action())) {
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

    /** The connection closed, however: its expiry is called off and the hub forgets it. */
    public void closed() {
        Future<?> current = expiry;
        if (current != null) {
            current.cancel(false);
        }
        hub.disconnect(subscriber);
    }

    /** At the token's {@code exp}, unless an {@code auth} moved it on, the connection ends with 1008. */
    private void scheduleExpiry() {
        Viewer current = viewer;
        if (current.expires() == null) {
            return;
        }
        Future<?> previous = expiry;
        if (previous != null) {
            previous.cancel(false);
        }
        expiry = context.clock().at(current.expires(), () -> {
            if (viewer == current) {
                subscriber.close(CloseCode.POLICY, Refusal.EXPIRED_TOKEN.reason());
            }
        });
    }

    private void auth(String token) {
        Verdict verdict = context.admission().reauthenticate(viewer, token);
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
    private List<Symbol> entitledSymbols() {
        return catalog.all().stream().filter(symbol -> viewer.entitlements().allows(symbol.ticker())).toList();
    }

    /**
     * Spends one of the connection's message tokens: false, after answering {@code rate_limited} (or
     * closing a client that keeps on with 1008), if the message must not be applied.
     */
    private boolean withinRate(String action) {
        listener.messageArrived();
        MessageRate.Verdict verdict = rate.onMessage(context.clock().nanoTime());
        if (verdict != MessageRate.Verdict.ALLOW) {
            listener.rateLimited(verdict == MessageRate.Verdict.CLOSE);
        }
        switch (verdict) {
            case ALLOW:
                return true;
            case REFUSE:
                int perSecond = context.maxMessagesPerSecond();
                reply(new ServerMessage.Error(ErrorCode.RATE_LIMITED, "more than " + perSecond + " messages a second (bursts of "
                        + MessageRate.burst(perSecond) + "): this one was not applied", action));
                return false;
            default:
                subscriber.close(CloseCode.POLICY, "messages kept coming above the rate limit");
                return false;
        }
    }

    /**
     * Subscribes to the symbols not yet subscribed and sets the rate cap of all of them ({@code maxRate}
     * null: no cap); the {@code subscribed} reply lists those added and those whose cap this changed.
     * {@code since}: the client's last seen seq per symbol, to resume the added ones from; null for none.
     * {@code epoch}: the feed run those seq numbers belong to; numbers of another run resume nothing.
     */
    private void subscribe(List<String> requested, Double maxRate, Map<String, Long> since, String epoch) {
        List<Integer> symbols = resolve(requested, "subscribe", true);
        if (symbols == null) {
            return;
        }
        double perSecond = maxRate == null ? 0 : maxRate;
        long interval = QuoteHub.intervalNanos(perSecond);
        int[] added = symbols.stream().filter(s -> !subscriber.isSubscribed(s)).mapToInt(Integer::intValue).toArray();
        Map<Integer, Long> lastSeen = new HashMap<>();
        if (since != null) {
            boolean sameRun = epoch == null || epoch.equals(context.epoch().get());
            since.forEach((symbol, seq) -> {
                int index = catalog.indexOf(symbol);
                if (index >= 0) {
                    lastSeen.put(index, sameRun ? seq : QuoteHub.SEQ_OF_ANOTHER_RUN);
                }
            });
        }
        int[] changed = symbols.stream()
                .filter(s -> !subscriber.isSubscribed(s) || subscriber.minIntervalNanos(s) != interval)
                .mapToInt(Integer::intValue).toArray();
        int limit = context.maxSymbolsPerConnection();
        if (subscriber.subscribedCount() + added.length > limit) {
            reply(new ServerMessage.Error(ErrorCode.TOO_MANY_SYMBOLS,
                    "this request would subscribe " + (subscriber.subscribedCount() + added.length)
                            + " symbols; the limit per connection is " + limit + ". Nothing was changed.",
                    "subscribe"));
            return;
        }
        int[] all = symbols.stream().mapToInt(Integer::intValue).toArray();
        hub.subscribe(subscriber, added, lastSeen, all, perSecond,
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
        reply(new ServerMessage.Bars(ticker, interval.wireName(), context.bars().bars(symbol, interval, request.limit())));
    }

    private void unsubscribe(List<String> requested) {
        List<Integer> symbols = resolve(requested, "unsubscribe", false);
        if (symbols == null) {
            return;
        }
        int[] removed = symbols.stream().filter(subscriber::isSubscribed).mapToInt(Integer::intValue).toArray();
        hub.unsubscribe(subscriber, removed, MESSAGES.encode(new ServerMessage.Unsubscribed(tickers(removed))));
    }

    /** The listed symbols among those requested (see {@link SymbolRequest}), its errors answered; null when none is left. */
    private List<Integer> resolve(List<String> requested, String action, boolean entitledOnly) {
        SymbolRequest resolved = SymbolRequest.resolve(catalog, viewer.entitlements(), requested, action, entitledOnly);
        resolved.errors().forEach(this::reply);
        return resolved.known().isEmpty() ? null : resolved.known();
    }

    private List<String> tickers(int[] symbols) {
        return Arrays.stream(symbols).mapToObj(i -> catalog.get(i).ticker()).toList();
    }

    private void reply(ServerMessage message) {
        subscriber.send(MESSAGES.encode(message));
    }
}
