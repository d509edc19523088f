package io.quotecast.bench;

import io.quotecast.config.Settings;
import org.glassfish.tyrus.server.Server;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The textbook JSR 356 ticker the benchmark measures Quotecast against ({@link TextbookEndpoint},
 * {@link TextbookFeed}) on Tyrus's own Grizzly server, in its own JVM:
 * {@code java -cp ... io.quotecast.bench.TextbookTicker}, reading the same settings (server.host,
 * server.port, feed.*) as Quotecast. {@link WarBenchmark} deploys the same two classes as a WAR.
 */
public final class TextbookTicker {

    private TextbookTicker() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.load();
        TextbookFeed feed = new TextbookFeed(settings);
        Server server = new Server(settings.server().host(), settings.server().port(), "/", Map.of(), TextbookEndpoint.class);
        server.start();
        feed.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            feed.close();
            server.stop();
            stopped.countDown();
        }));
        System.out.printf("Textbook ticker: stream ws://%s:%d/quotes%n", settings.server().host(), server.getPort());
        stopped.await();
    }
}
