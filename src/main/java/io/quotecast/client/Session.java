package io.quotecast.client;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * The client's logic, on its one thread ({@link ClientScheduler}): one connection at a time; on every
 * hello it subscribes again to what the application asked for, with {@code since} and {@code epoch}, so
 * the server replays what the client missed; it drops the replay's duplicates, reports gaps and new
 * epochs, refreshes the token before it expires, and reconnects after a drop with {@link Backoff},
 * except after a refused token.
 */
final class Session {

    /** What the client needs around it; the seams are replaced in tests. */
    record Parts(URI uri, Supplier<String> tokens, StreamListener listener, Transport transport,
                 ClientScheduler scheduler, Backoff backoff, LongUnaryOperator random) {
    }

    /** {@code ["*"]}: every symbol the server lists. */
    static final String EVERY_SYMBOL = "*";

    private final Parts parts;
    private final StreamListener listener;
    private final ClientScheduler scheduler;
    private final Set<String> wanted = new LinkedHashSet<>();
    private final ResumeState resume = new ResumeState();
    /** Where each symbol's stream broke when the epoch changed, until its gap snapshot arrives. */
    private final Map<String, Long> brokenAt = new HashMap<>();
    /** Requests made while no connection was ready, sent after the next hello. */
    private final List<String> waiting = new ArrayList<>();

    private int generation;
    private Transport.Connection connection;
    private boolean ready;
    private boolean stopped;
    private int attempt;
    private OptionalLong tokenExpiry = OptionalLong.empty();
    private String lastToken;
    private ClientScheduler.Cancellable refresh;
    private ClientScheduler.Cancellable retry;

    Session(Parts parts) {
        this.parts = parts;
        this.listener = parts.listener();
        this.scheduler = parts.scheduler();
    }

    void start() {
        connect();
    }

    void subscribe(Collection<String> symbols) {
        List<String> added = upperCase(symbols);
        wanted.addAll(added);
        if (ready) { // otherwise the next hello subscribes to everything wanted
            send(Frames.subscribe(added, since(added), resume.epoch()));
        }
    }

    void unsubscribe(Collection<String> symbols) {
        List<String> removed = upperCase(symbols);
        wanted.removeAll(removed);
        resume.forget(removed);
        removed.forEach(brokenAt::remove);
        if (ready) {
            send(Frames.unsubscribe(removed));
        }
    }

    void history(String symbol, String interval, int limit) {
        if (ready) {
            send(Frames.history(symbol, interval, limit));
        } else {
            waiting.add(Frames.history(symbol, interval, limit));
        }
    }

    void close() {
        stop(Disconnect.closed(Disconnect.NORMAL, "closed by the application"));
    }

    private void connect() {
        if (stopped) {
            return;
        }
        int mine = ++generation;
        String token = parts.tokens() == null ? null : parts.tokens().get();
        lastToken = token;
        tokenExpiry = TokenTiming.expiry(token);
        parts.transport().open(parts.uri(), token, new Transport.Events() {
            @Override
            public void opened(Transport.Connection opened) {
                scheduler.execute(() -> onOpened(mine, opened));
            }

            @Override
            public void text(String frame) {
                scheduler.execute(() -> {
                    if (mine == generation) {
                        onFrame(frame);
                    }
                });
            }

            @Override
            public void ended(Disconnect why) {
                scheduler.execute(() -> {
                    if (mine == generation) {
                        onEnded(why);
                    }
                });
            }
        });
    }

    private void onOpened(int mine, Transport.Connection opened) {
        if (mine != generation || stopped) {
            opened.close();
            return;
        }
        connection = opened;
    }

    private void onFrame(String text) {
        Frames.Incoming frame;
        try {
            frame = Frames.read(text);
        } catch (RuntimeException notTheProtocol) {
            return; // nothing the application could act on; the stream goes on
        }
        if (frame instanceof Frames.Incoming.QuoteFrame quote) {
            onTick(quote.tick());
        } else if (frame instanceof Frames.Incoming.Greeting greeting) {
            onHello(greeting.hello());
        } else if (frame instanceof Frames.Incoming.BarsReply bars) {
            listener.onBars(bars.bars());
        } else if (frame instanceof Frames.Incoming.ErrorReply error) {
            listener.onError(error.error());
        } else if (frame instanceof Frames.Incoming.Authenticated authenticated) {
            listener.onAuthenticated(Instant.ofEpochMilli(authenticated.expires()));
            scheduleRefresh(authenticated.expires());
        }
    }

    private void onHello(Hello hello) {
        attempt = 0;
        // the resume is written with the old epoch's numbers, before entering the new one forgets them
        String resubscribe = wanted.isEmpty() ? null : Frames.subscribe(wanted, since(wanted), resume.epoch());
        String previous = resume.epoch();
        Map<String, Long> lost = resume.enter(hello.epoch());
        if (previous != null && !previous.equals(hello.epoch())) {
            brokenAt.putAll(lost);
            listener.onEpochChanged(previous, hello.epoch());
        }
        ready = true;
        listener.onConnected(hello);
        if (resubscribe != null) {
            send(resubscribe);
        }
        List<String> queued = List.copyOf(waiting);
        waiting.clear();
        queued.forEach(this::send);
        tokenExpiry.ifPresent(this::scheduleRefresh);
    }

    private void onTick(Tick tick) {
        String symbol = tick.quote().symbol();
        long before = resume.lastSeen(symbol);
        boolean subscribed = wanted.contains(symbol) || wanted.contains(EVERY_SYMBOL);
        if (!subscribed || !resume.accept(symbol, tick.quote().seq())) {
            return; // a replayed tick already delivered, or one of a symbol just unsubscribed
        }
        Long broken = brokenAt.remove(symbol);
        if (tick.gap()) {
            listener.onGap(symbol, broken != null ? broken : before, tick);
        }
        listener.onTick(tick);
    }

    private void onEnded(Disconnect why) {
        connection = null;
        ready = false;
        cancel(refresh);
        if (stopped) {
            return;
        }
        if (why.refused() && !aNewTokenMayHelp(why)) {
            stop(why);
            return;
        }
        Duration delay = parts.backoff().delay(attempt++, why.overloaded(), parts.random());
        listener.onReconnecting(why, delay);
        retry = scheduler.schedule(this::connect, delay.toMillis());
    }

    /**
     * The server closes with 1008 for a refused token but also for a client that stopped reading or kept
     * sending above its rate; only a token can be refused, so without one the close is not a refusal, and a
     * supplier that now gives another token deserves one more try. Retrying the same refused token cannot help.
     */
    private boolean aNewTokenMayHelp(Disconnect why) {
        if (parts.tokens() == null) {
            return why.httpStatus() == 0;
        }
        String next = parts.tokens().get();
        return next != null && !next.equals(lastToken);
    }

    private void scheduleRefresh(long expiresAt) {
        cancel(refresh);
        if (parts.tokens() == null) {
            return;
        }
        refresh = scheduler.schedule(this::refreshToken, TokenTiming.refreshDelay(expiresAt, scheduler.nowMillis()));
    }

    private void refreshToken() {
        if (!ready || stopped) {
            return;
        }
        String token = parts.tokens().get();
        lastToken = token;
        tokenExpiry = TokenTiming.expiry(token);
        send(Frames.auth(token));
    }

    private void send(String frame) {
        if (connection != null) {
            connection.send(frame);
        }
    }

    private void stop(Disconnect why) {
        if (stopped) {
            return;
        }
        stopped = true;
        cancel(refresh);
        cancel(retry);
        if (connection != null) {
            connection.close();
            connection = null;
        }
        listener.onStopped(why);
        scheduler.shutdown();
    }

    /** The {@code since} of a subscribe to {@code symbols}: every symbol seen, for {@code *}. */
    private Map<String, Long> since(Collection<String> symbols) {
        return symbols.contains(EVERY_SYMBOL) ? resume.sinceAll() : resume.since(symbols);
    }

    private static void cancel(ClientScheduler.Cancellable task) {
        if (task != null) {
            task.cancel();
        }
    }

    private static List<String> upperCase(Collection<String> symbols) {
        return symbols.stream().map(symbol -> symbol.strip().toUpperCase(java.util.Locale.ROOT)).distinct().toList();
    }
}
