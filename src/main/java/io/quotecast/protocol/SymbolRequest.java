package io.quotecast.protocol;

import io.quotecast.market.SymbolCatalog;
import io.quotecast.security.Entitlements;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The symbols of a {@code subscribe} or {@code unsubscribe}, resolved against the symbol list and the
 * connection's entitlements: the catalog indexes of the listed ones, in request order, and the errors
 * the request earns ({@code unknown_symbol}, {@code forbidden}). A pure function of its inputs, so the
 * session only answers the errors and acts on the rest.
 *
 * @param known  the catalog indexes to act on, in request order, each once
 * @param errors the errors to answer, in this order, before acting
 */
record SymbolRequest(List<Integer> known, List<ServerMessage.Error> errors) {

    SymbolRequest {
        known = List.copyOf(known);
        errors = List.copyOf(errors);
    }

    /**
     * Resolves {@code requested} ({@code *} meaning all, or with {@code entitledOnly} all the connection
     * is entitled to): {@code unknown_symbol} for the unlisted, {@code forbidden} (with {@code entitledOnly})
     * for those the entitlements do not cover; each error names {@code action}.
     */
    static SymbolRequest resolve(SymbolCatalog catalog, Entitlements entitlements, List<String> requested,
                                 String action, boolean entitledOnly) {
        Set<Integer> known = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        Set<String> forbidden = new LinkedHashSet<>();
        boolean all = false;
        for (String symbol : requested) {
            if (symbol.equals(ClientMessage.ALL)) {
                all = true;
                for (int i = 0; i < catalog.size(); i++) {
                    if (!entitledOnly || entitlements.allows(catalog.get(i).ticker())) {
                        known.add(i);
                    }
                }
                continue;
            }
            int index = catalog.indexOf(symbol);
            if (index < 0) {
                unknown.add(symbol);
            } else if (entitledOnly && !entitlements.allows(catalog.get(index).ticker())) {
                forbidden.add(catalog.get(index).ticker());
            } else {
                known.add(index);
            }
        }
        List<ServerMessage.Error> errors = new ArrayList<>();
        String rest = known.isEmpty() ? "" : "; the other symbols of the request still apply";
        if (!unknown.isEmpty()) {
            errors.add(new ServerMessage.Error(ErrorCode.UNKNOWN_SYMBOL, "not listed: " + String.join(", ", unknown) + rest, action));
        }
        if (!forbidden.isEmpty()) {
            errors.add(new ServerMessage.Error(ErrorCode.FORBIDDEN, "not entitled to: " + String.join(", ", forbidden) + rest, action));
        } else if (all && known.isEmpty() && entitledOnly) {
            errors.add(new ServerMessage.Error(ErrorCode.FORBIDDEN, "this connection is entitled to no symbol", action));
        }
        return new SymbolRequest(new ArrayList<>(known), errors);
    }
}
