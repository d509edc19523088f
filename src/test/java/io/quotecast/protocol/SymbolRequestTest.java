package io.quotecast.protocol;

import io.quotecast.market.Symbol;
import io.quotecast.market.SymbolCatalog;
import io.quotecast.security.Entitlements;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A request's symbols resolved with no session: indexes in request order, and the errors it earns. */
class SymbolRequestTest {

    private final SymbolCatalog catalog = new SymbolCatalog(List.of(symbol("ACME"), symbol("GLOBX"), symbol("INITE")));

    @Test
    void listedSymbolsResolveToTheirIndexesInRequestOrderEachOnce() {
        SymbolRequest request = SymbolRequest.resolve(catalog, Entitlements.ALL, List.of("INITE", "ACME", "INITE"),
                "subscribe", true);
        assertEquals(List.of(2, 0), request.known());
        assertEquals(List.of(), request.errors());
    }

    @Test
    void anUnlistedSymbolEarnsUnknownSymbolAndTheOthersStillApply() {
        SymbolRequest request = SymbolRequest.resolve(catalog, Entitlements.ALL, List.of("ACME", "NOPE"), "unsubscribe", false);
        assertEquals(List.of(0), request.known());
        assertEquals(List.of(new ServerMessage.Error(ErrorCode.UNKNOWN_SYMBOL,
                "not listed: NOPE; the other symbols of the request still apply", "unsubscribe")), request.errors());
    }

    @Test
    void allMeansTheEntitledSymbolsAndNoneEntitledIsForbidden() {
        assertEquals(List.of(1), SymbolRequest.resolve(catalog, Entitlements.of(List.of("GLOBX")), List.of("*"),
                "subscribe", true).known());
        SymbolRequest none = SymbolRequest.resolve(catalog, Entitlements.of(List.of()), List.of("*"), "subscribe", true);
        assertEquals(List.of(), none.known());
        assertEquals(List.of(new ServerMessage.Error(ErrorCode.FORBIDDEN, "this connection is entitled to no symbol",
                "subscribe")), none.errors());
    }

    private static Symbol symbol(String ticker) {
        return new Symbol(ticker, ticker + " Inc.", "USD", BigDecimal.TEN, new BigDecimal("0.01"));
    }
}
