package io.quotecast.client;

import java.net.URI;

/**
 * How the client reaches a server: the seam between its logic and a WebSocket implementation, so that the
 * logic is tested in memory. {@link JakartaTransport} is the real one.
 */
interface Transport {

    /**
     * Opens a connection to {@code uri}, presenting {@code token} (null for none), and reports what happens
     * on it to {@code events}, from any thread: {@code opened} first, or {@code ended} if it never opens.
     */
    void open(URI uri, String token, Events events);

    /** One open connection. */
    interface Connection {

        void send(String text);

        /** Closes with 1000; {@code ended} follows. */
        void close();
    }

    /** What happens on one connection, in order. */
    interface Events {

        void opened(Connection connection);

        void text(String frame);

        /** Reported once: the close, the broken connection, or the handshake that failed. */
        void ended(Disconnect why);
    }
}
