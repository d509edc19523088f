package io.quotecast.protocol;

import java.util.List;
import java.util.Map;

/** A message from a client, decoded: one record per {@code action}, or {@link Invalid}. */
public sealed interface ClientMessage {

    /** {@code ["*"]} as the symbol list: every listed symbol. */
    String ALL = "*";

    /**
     * The {@code action} the message names, as an error about it repeats it; null for none, and for
     * {@code auth}, whose answers name no action.
     */
    default String action() {
        return null;
    }

    /**
     * Start (or change) receiving quotes; {@code maxRate}, {@code since} and {@code epoch} (the run
     * the {@code since} numbers belong to) are null when absent.
     */
    record Subscribe(List<String> symbols, Double maxRate, Map<String, Long> since, String epoch)
            implements ClientMessage {
        @Override
        public String action() {
            return "subscribe";
        }
    }

    record Unsubscribe(List<String> symbols) implements ClientMessage {
        @Override
        public String action() {
            return "unsubscribe";
        }
    }

    record ListSymbols() implements ClientMessage {
        @Override
        public String action() {
            return "list";
        }
    }

    record History(String symbol, String interval, int limit) implements ClientMessage {
        @Override
        public String action() {
            return "history";
        }
    }

    /** A fresh token for the connection's user, replacing the one it was admitted with. */
    record Auth(String token) implements ClientMessage {
        @Override
        public String toString() {
            return "Auth[token=(hidden)]"; // a token must not reach a log
        }
    }

    /**
     * A message above the configured size limit, as soon as its frames so far are ({@code bytes} of
     * them, counted in UTF-8): the connection is closed with 1009, the message unread.
     */
    record TooBig(long bytes, int limit) implements ClientMessage {
    }

    /** A frame that is not a valid request; answered with an {@code error}, the connection stays open. */
    record Invalid(ErrorCode code, String message, String action) implements ClientMessage {
    }
}
