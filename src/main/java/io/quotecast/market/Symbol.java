package io.quotecast.market;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;

/**
 * A listed instrument: its upper-case ticker, display name, currency, the previous session's close
 * and the smallest price step it trades in.
 */
public record Symbol(String ticker, String name, String currency, BigDecimal previousClose, BigDecimal tickSize) {

    public Symbol {
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(currency, "currency");
        if (!ticker.equals(ticker.toUpperCase(Locale.ROOT)) || ticker.isBlank()) {
            throw new IllegalArgumentException("ticker must be upper-case: " + ticker);
        }
        if (tickSize.signum() <= 0 || previousClose.signum() <= 0) {
            throw new IllegalArgumentException(ticker + ": tick size and previous close must be > 0");
        }
    }
}
