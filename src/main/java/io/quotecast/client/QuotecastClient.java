package io.quotecast.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * A quotecast.v1 client that keeps its stream whole: it reconnects after a drop (backoff with jitter),
 * resumes with {@code since} and {@code epoch} so that no tick the server still holds is lost or
 * repeated, tells the application of gaps and new epochs, and refreshes its token before it expires.
 *
 * <pre>{@code
 * QuotecastClient client = QuotecastClient.builder(URI.create("ws://localhost:8080/quotes"))
 *         .tokens(() -> myTokenService.freshToken())           // optional
 *         .listener(tick -> System.out.println(tick.quote()))
 *         .connect();
 * client.subscribe("ACME", "GLOBX");
 * }</pre>
 *
 * Every method returns at once; the work happens on the client's own thread, which calls the
 * {@link StreamListener}. Requests made while reconnecting are sent once connected again.
 */
public final class QuotecastClient implements AutoCloseable {

    private final Session session;
    private final ClientScheduler scheduler;

    private QuotecastClient(Session session, ClientScheduler scheduler) {
        this.session = session;
        this.scheduler = scheduler;
    }

    public static Builder builder(URI stream) {
        return new Builder(stream);
    }

    /** Adds symbols ({@code "*"}: every one the server lists, as the token entitles), case-insensitive. */
    public void subscribe(String... symbols) {
        List<String> list = List.of(symbols);
        scheduler.execute(() -> session.subscribe(list));
    }

    public void unsubscribe(String... symbols) {
        List<String> list = List.of(symbols);
        scheduler.execute(() -> session.unsubscribe(list));
    }

    /** Asks for recent bars ({@code interval} "1s" or "1m", {@code limit} 1 to 1000); the reply comes to {@link StreamListener#onBars}. */
    public void history(String symbol, String interval, int limit) {
        scheduler.execute(() -> session.history(symbol, interval, limit));
    }

    /** Closes the connection with 1000 and stops reconnecting. */
    @Override
    public void close() {
        scheduler.execute(session::close);
    }

    /** How to reach the server, and what to tell the application. */
    public static final class Builder {

        private final URI stream;
        private Supplier<String> tokens;
        private StreamListener listener;
        private Backoff backoff = Backoff.DEFAULT;
        private Transport transport;
        private ClientScheduler scheduler;
        private LongUnaryOperator random = bound -> ThreadLocalRandom.current().nextLong(bound);

        private Builder(URI stream) {
            this.stream = Objects.requireNonNull(stream, "stream");
        }

        /** Where tokens come from: asked at every connection and before each token expires. */
        public Builder tokens(Supplier<String> tokens) {
            this.tokens = tokens;
            return this;
        }

        public Builder listener(StreamListener listener) {
            this.listener = listener;
            return this;
        }

        /** The first retry's wait and the longest; 250 ms and 30 s unless set. */
        public Builder backoff(Duration initial, Duration max) {
            this.backoff = new Backoff(initial, max);
            return this;
        }

        Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        Builder scheduler(ClientScheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        Builder random(LongUnaryOperator random) {
            this.random = random;
            return this;
        }

        /** Starts connecting, and returns at once. */
        public QuotecastClient connect() {
            Objects.requireNonNull(listener, "a listener");
            ClientScheduler thread = scheduler != null ? scheduler : new ExecutorScheduler();
            Transport wire = transport != null ? transport : new JakartaTransport();
            Session session = new Session(new Session.Parts(stream, tokens, listener, wire, thread, backoff, random));
            thread.execute(session::start);
            return new QuotecastClient(session, thread);
        }
    }
}
