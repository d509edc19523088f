package io.quotecast.security;

import java.util.Locale;

/** {@code security.tokens}: whether a client must, may or need not present a token at the handshake. */
public enum TokenMode {
    OFF, OPTIONAL, REQUIRED;

    /** From the setting's value: {@code off}, {@code optional} or {@code required}. */
    public static TokenMode parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("security.tokens must be off, optional or required, not '" + value + "'", e);
        }
    }
}
