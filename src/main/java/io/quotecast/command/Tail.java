package io.quotecast.command;

import io.quotecast.client.Disconnect;
import io.quotecast.client.Hello;
import io.quotecast.client.QuotecastClient;
import io.quotecast.client.ServerError;
import io.quotecast.client.StreamListener;
import io.quotecast.client.Tick;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tail URL SYMBOL...}: prints each quote of the symbols as it arrives, one line each, and keeps going
 * across dropped connections and server restarts through {@link QuotecastClient}, saying so on stderr.
 * With {@code --json}, stdout carries each quote frame exactly as received and nothing else. It runs until
 * Ctrl-C, or until the server refuses the token (exit 1).
 */
final class Tail {

    static final String TOKEN_VARIABLE = "QUOTECAST_TOKEN";

    private Tail() {
    }

    /** Runs until interrupted or refused; returns the exit status. */
    static int run(String[] args, String environmentToken, PrintStream out, PrintStream err) {
        TailOptions options;
        try {
            options = TailOptions.parse(args, environmentToken);
        } catch (IllegalArgumentException e) {
            err.println("tail: " + e.getMessage());
            err.println(Commands.USAGE);
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        int[] status = {0};
        Printer printer = new Printer(options.json(), out, err, why -> {
            status[0] = why.code() == Disconnect.NORMAL ? 0 : 1;
            stopped.countDown();
        });
        QuotecastClient.Builder builder = QuotecastClient.builder(options.stream()).listener(printer);
        if (options.token() != null) {
            String token = options.token();
            builder.tokens(() -> token);
        }
        QuotecastClient client = builder.connect();
        client.subscribe(options.symbols().toArray(String[]::new));
        Runtime.getRuntime().addShutdownHook(new Thread(client::close, "quotecast-tail-close"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return status[0];
    }

    /** What the client hears, for a person (stderr, and stdout lines) or a program (stdout frames). */
    private static final class Printer implements StreamListener {

        private final boolean json;
        private final PrintStream out;
        private final PrintStream err;
        private final java.util.function.Consumer<Disconnect> onStop;

        Printer(boolean json, PrintStream out, PrintStream err, java.util.function.Consumer<Disconnect> onStop) {
            this.json = json;
            this.out = out;
            this.err = err;
            this.onStop = onStop;
        }

        @Override
        public void onTick(Tick tick) {
            out.println(json ? tick.frame() : QuoteLine.of(tick.quote()) + (tick.stale() ? "  (stale)" : ""));
        }

        @Override
        public void onConnected(Hello hello) {
            err.println("tail: connected to " + hello.server() + ", epoch " + hello.epoch()
                    + (hello.user() == null ? "" : ", as " + hello.user()));
        }

        @Override
        public void onReconnecting(Disconnect why, Duration delay) {
            err.println("tail: connection lost (" + describe(why) + "); reconnecting in " + delay.toMillis() + " ms");
        }

        @Override
        public void onGap(String symbol, long lastSeen, Tick resumedAt) {
            err.println("tail: gap in " + symbol + ": ticks after seq " + lastSeen + " are lost; resuming at seq "
                    + resumedAt.quote().seq());
        }

        @Override
        public void onEpochChanged(String previous, String current) {
            err.println("tail: the feed restarted (epoch " + previous + " -> " + current + "): seq numbers start over");
        }

        @Override
        public void onError(ServerError error) {
            err.println("tail: server error " + error.code() + ": " + error.message());
        }

        @Override
        public void onStopped(Disconnect why) {
            if (why.code() != Disconnect.NORMAL) {
                err.println("tail: stopped: " + describe(why));
            }
            onStop.accept(why);
        }

        private static String describe(Disconnect why) {
            if (why.httpStatus() > 0) {
                return "handshake refused with HTTP " + why.httpStatus();
            }
            return why.code() == Disconnect.NO_CLOSE ? String.valueOf(why.reason()) : "close " + why.code() + " " + why.reason();
        }
    }
}
