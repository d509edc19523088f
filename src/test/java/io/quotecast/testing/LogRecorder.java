package io.quotecast.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what is logged (java.util.logging, where Tyrus, Grizzly and System.Logger all end up) under
 * a logger name, while open: for tests of what the server writes to its log.
 */
public final class LogRecorder extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new ArrayList<>();

    private LogRecorder(String name) {
        this.logger = Logger.getLogger(name);
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    /** Records everything logged under {@code name} ("" for everything) until closed. */
    public static LogRecorder of(String name) {
        return new LogRecorder(name);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        records.add(record);
    }

    public synchronized List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The formatted messages recorded so far, parameters filled in. */
    public synchronized List<String> messages() {
        java.util.logging.Formatter formatter = new java.util.logging.SimpleFormatter();
        return records.stream().map(formatter::formatMessage).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
