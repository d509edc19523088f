package io.quotecast.testing;

import io.quotecast.config.Settings;
import io.quotecast.market.Symbol;
import io.quotecast.market.SymbolCatalog;

import java.math.BigDecimal;
import java.util.List;

/**
 * The symbol list the servers under test read (config/symbols.csv by default): tests take counts
 * and tick sizes from it rather than repeating them, so a changed list changes no test.
 */
public final class ConfiguredSymbols {

    public static final SymbolCatalog CATALOG = SymbolCatalog.load(Settings.load().feed().symbols());

    private ConfiguredSymbols() {
    }

    /** How many symbols the servers list: what {@code ["*"]} subscribes to. */
    public static int count() {
        return CATALOG.size();
    }

    public static List<String> tickers() {
        return CATALOG.all().stream().map(Symbol::ticker).toList();
    }

    public static BigDecimal tickSize(String ticker) {
        return CATALOG.all().stream().filter(symbol -> symbol.ticker().equals(ticker)).findFirst()
                .orElseThrow(() -> new AssertionError("no symbol " + ticker + " in the configured list"))
                .tickSize();
    }
}
