package io.quotecast.client;

import io.quotecast.market.Quote;

/**
 * One quote as the application receives it: the typed {@code quote}, the protocol's flags, and the frame
 * exactly as the server sent it. {@code snapshot}: the latest known quote, sent on subscribe; {@code gap}:
 * ticks before this one were lost to this client; {@code stale}: the server has lost its feed and this
 * is the latest quote it has.
 */
public record Tick(Quote quote, boolean snapshot, boolean gap, boolean stale, String frame) {
}
