package io.quotecast.protocol;

import io.quotecast.market.BarHistory;
import io.quotecast.security.Admission;
import io.quotecast.stream.QuoteHub;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What every {@link ProtocolSession} of one application shares: the fan-out it subscribes through
 * ({@code hub}, with its symbol list), the {@code bars} that {@code history} reads, the
 * {@code admission} that judges an {@code auth}, the feed's run ({@code epoch}, as {@code hello} names
 * it and {@code since} is compared with), the per-connection limits ({@code connection.maxSymbols},
 * {@code connection.maxMessagesPerSecond}) and the {@code clock}. Made once per application by
 * whoever deploys the stream; a unit test makes its own, on a manual clock.
 */
public record ProtocolContext(QuoteHub hub, BarHistory bars, Admission admission, Supplier<String> epoch,
                              int maxSymbolsPerConnection, int maxMessagesPerSecond, SessionClock clock) {

    public ProtocolContext {
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(bars, "bars");
        Objects.requireNonNull(admission, "admission");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(clock, "clock");
    }
}
