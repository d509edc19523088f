package io.quotecast.client;

/** The server's greeting on each connection: the feed's {@code epoch} and the token's {@code user} (null if none). */
public record Hello(String protocol, String server, int symbols, String epoch, String user) {
}
