/**
 * The standalone launcher: Grizzly HTTP and Tyrus on one port, serving the dashboard, the stream and
 * the operations endpoints.
 *
 * <p>Its rule: with {@code server.tyrus}, the only package that may name Tyrus's core and Grizzly,
 * and only their public API: what reaches below it (private fields and constructors, the write path
 * straight to Grizzly's queue) is in {@code server.tyrus}. Nothing of the WAR depends on it; nothing
 * else depends on it at all.
 */
package io.quotecast.server;
