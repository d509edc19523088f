package io.quotecast.server;

import io.quotecast.config.Settings;

import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar quotecast-standalone.jar}: starts the standalone server and runs until SIGTERM
 * or Ctrl-C, when every client is sent close 1001 before the process exits.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        long started = System.nanoTime();
        Settings settings = Settings.load();
        StandaloneServer server = StandaloneServer.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Quotecast: shutting down");
            server.close();
            stopped.countDown();
        }, "quotecast-shutdown"));
        String host = settings.serverHost().equals("0.0.0.0") ? "localhost" : settings.serverHost();
        String s = server.secure() ? "s" : "";
        // One println of the whole line: printf writes it in pieces, and a log line on stderr (a broker
        // node logs as it connects) could land in the middle of it where both streams share a pipe.
        System.out.println(String.format("Quotecast started in %d ms: dashboard http%s://%s:%d/  stream ws%s://%s:%d/quotes",
                (System.nanoTime() - started) / 1_000_000, s, host, server.port(), s, host, server.port()));
        stopped.await();
    }
}
