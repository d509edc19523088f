package io.quotecast.server;

import io.quotecast.command.Commands;
import io.quotecast.config.Settings;

import java.util.concurrent.CountDownLatch;
import java.util.logging.LogManager;

/**
 * {@code java -jar quotecast-standalone.jar}: starts the standalone server and runs until SIGTERM
 * or Ctrl-C, when every client is sent close 1001 before the process exits. A first argument that names
 * a command ({@code tail}, {@code mint-token}: {@link Commands}) runs that instead.
 *
 * <p>One log, one line a record: everything logs to java.util.logging (our System.Logger, Tyrus and
 * Grizzly directly, the libraries on SLF4J, such as Artemis, through slf4j-jdk14, which only this jar
 * carries), and the console's records are written in {@link #LOG_FORMAT} unless the operator chose a
 * format of their own.
 */
public final class Main {

    /** The property of {@link java.util.logging.SimpleFormatter}'s format, as a system property or in logging.properties. */
    static final String LOG_FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";
    /** Time to the millisecond, level, logger, message, on one line (a stack trace, where there is one, follows it). */
    static final String LOG_FORMAT = "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n";

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        oneLineLogRecords();
        if (Commands.run(args)) {
            return;
        }
        long started = System.nanoTime();
        Settings settings = Settings.load();
        StandaloneServer server = StandaloneServer.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Quotecast: shutting down");
            server.close();
            stopped.countDown();
        }, "quotecast-shutdown"));
        String host = settings.server().host().equals("0.0.0.0") ? "localhost" : settings.server().host();
        String s = server.secure() ? "s" : "";
        // One println of the whole line: printf writes it in pieces, and a log line on stderr (a broker
        // node logs as it connects) could land in the middle of it where both streams share a pipe.
        System.out.println(String.format("Quotecast started in %d ms: dashboard http%s://%s:%d/  stream ws%s://%s:%d/quotes",
                (System.nanoTime() - started) / 1_000_000, s, host, server.port(), s, host, server.port()));
        stopped.await();
    }

    /**
     * Sets {@link #LOG_FORMAT} for the console's records, unless a format was given (a system property,
     * or the logging.properties of {@code java.util.logging.config.file}). Before anything logs: the
     * console handler reads the format once, when it is made.
     */
    private static void oneLineLogRecords() {
        if (System.getProperty(LOG_FORMAT_PROPERTY) == null && LogManager.getLogManager().getProperty(LOG_FORMAT_PROPERTY) == null) {
            System.setProperty(LOG_FORMAT_PROPERTY, LOG_FORMAT);
        }
    }
}
