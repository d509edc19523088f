package io.quotecast.security;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The symbols a connection may subscribe to and ask the history of: all, or a fixed set of tickers
 * (upper-case, as the protocol reports them).
 */
public record Entitlements(boolean all, Set<String> symbols) {

    /** Every symbol. */
    public static final Entitlements ALL = new Entitlements(true, Set.of());

    public Entitlements {
        symbols = all ? Set.of() : Set.copyOf(symbols);
    }

    /** From a list of tickers, where {@code *} means all of them; case is ignored. */
    public static Entitlements of(Collection<String> tickers) {
        Set<String> symbols = new TreeSet<>();
        for (String ticker : tickers) {
            String symbol = ticker.strip().toUpperCase(Locale.ROOT);
            if (symbol.equals("*")) {
                return ALL;
            }
            if (!symbol.isEmpty()) {
                symbols.add(symbol);
            }
        }
        return new Entitlements(false, symbols);
    }

    public boolean allows(String ticker) {
        return all || symbols.contains(ticker.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return all ? "*" : String.join(",", new TreeSet<>(symbols));
    }
}
