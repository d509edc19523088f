package io.quotecast.client;

import java.time.Duration;
import java.time.Instant;

/**
 * What the application hears from a {@link QuotecastClient}, on the client's one thread, in order. Only
 * {@link #onTick} is required; a tick arrives once, in {@code seq} order per symbol within an epoch.
 */
public interface StreamListener {

    /** A quote of a subscribed symbol, new to this client (a resume's duplicates are dropped). */
    void onTick(Tick tick);

    /** A connection is up: the server's hello (after every reconnect too). */
    default void onConnected(Hello hello) {
    }

    /**
     * Ticks of {@code symbol} after {@code lastSeen} (0: none seen) were lost: the server no longer held
     * them, or they belong to another epoch. {@code resumedAt} is the snapshot the stream goes on from.
     */
    default void onGap(String symbol, long lastSeen, Tick resumedAt) {
    }

    /** The feed restarted (another {@code epoch}): {@code seq} numbers start over. */
    default void onEpochChanged(String previous, String current) {
    }

    /** The connection ended; the client tries again after {@code delay}. */
    default void onReconnecting(Disconnect why, Duration delay) {
    }

    /** The reply to {@link QuotecastClient#history}. */
    default void onBars(Bars bars) {
    }

    /** A request failed; the connection stays. */
    default void onError(ServerError error) {
    }

    /** A fresh token was accepted; the connection is now good until {@code expires}. */
    default void onAuthenticated(Instant expires) {
    }

    /** The client stopped for good: the token was refused (1008, HTTP 401/403), or {@link QuotecastClient#close}. */
    default void onStopped(Disconnect why) {
    }
}
