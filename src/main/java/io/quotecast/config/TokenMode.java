package io.quotecast.config;

/** {@code security.tokens}: whether a client must, may or need not present a token at the handshake. */
public enum TokenMode {
    /** Anyone may connect; no token is read. */
    OFF,
    /** A client without a token is anonymous (it may subscribe to {@code security.anonymousSymbols}). */
    OPTIONAL,
    /** A client without a valid token is refused at the handshake. */
    REQUIRED
}
