/**
 * The domain: symbols, quotes, bars and the simulated market that produces ticks.
 *
 * <p>Its rule: it imports nothing of {@code jakarta.websocket}, the servlet API, Tyrus or Grizzly,
 * nor any other Quotecast package; everything else depends on it.
 */
package io.quotecast.market;
