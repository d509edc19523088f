/**
 * The standalone launcher: Grizzly HTTP and Tyrus on one port, serving the dashboard, the stream and
 * the operations endpoints.
 *
 * <p>Its rule: the only package that may reach into Tyrus and Grizzly internals, and nothing of the
 * WAR depends on it; nothing else depends on it at all.
 */
package io.quotecast.server;
