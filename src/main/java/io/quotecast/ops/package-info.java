/**
 * Operations: what keeps a server facing the open internet alive and visible. Admission limits and
 * their counters ({@link io.quotecast.ops.ConnectionLimits}), the per-connection message rate
 * ({@link io.quotecast.ops.MessageRate}), keepalive bookkeeping ({@link io.quotecast.ops.Keepalive}),
 * the feed's health ({@link io.quotecast.ops.FeedMonitor}, {@link io.quotecast.ops.Health}) and the
 * Micrometer meters ({@link io.quotecast.ops.QuotecastMetrics}).
 *
 * <p>Its rule: plain Java, no transport (no WebSocket, servlet or Grizzly type), and a Micrometer
 * registry is always passed in, never taken from a global. Whatever the fan-out touches per quote is
 * counted without a lock and without allocating; the registry reads those counts when it is scraped.
 */
package io.quotecast.ops;
