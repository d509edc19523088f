package io.quotecast.protocol;

import io.quotecast.market.Bar;
import io.quotecast.market.Symbol;

import java.util.List;

/** A message to a client other than a quote: one record per {@code type}. */
public sealed interface ServerMessage {

    /**
     * {@code epoch} names the feed's run, whose {@code seq} numbers a resuming client sends back;
     * {@code user}: the token's {@code sub}, null when anonymous or when tokens are off.
     */
    record Hello(String protocol, String server, int symbols, String epoch, String user) implements ServerMessage {
    }

    /** Reply to {@code auth}: the connection's token now expires at {@code expires} (epoch ms). */
    record Authenticated(String user, long expires) implements ServerMessage {
    }

    record Subscribed(List<String> symbols) implements ServerMessage {
    }

    record Unsubscribed(List<String> symbols) implements ServerMessage {
    }

    record SymbolList(List<Symbol> symbols) implements ServerMessage {
    }

    record Bars(String symbol, String interval, List<Bar> bars) implements ServerMessage {
    }

    /** {@code action} is null when the failed action is unknown (e.g. the frame was not JSON). */
    record Error(ErrorCode code, String message, String action) implements ServerMessage {
    }
}
