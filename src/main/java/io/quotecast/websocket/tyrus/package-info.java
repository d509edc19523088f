/**
 * The WAR's accelerated write path on a Tyrus application server (GlassFish, Payara; tyrus-spi's
 * {@code Writer} path, not the standalone server's Grizzly one, which is {@code server.tyrus}).
 *
 * <p>What it touches: three private fields reached by reflection, by name, on whatever classes the
 * container's Tyrus has ({@code webSocket} of the session's async remote, {@code protocolHandler} of
 * that, {@code writer} of that), and then only the public tyrus-spi {@code Writer} and
 * {@code CompletionHandler} (the one part of Tyrus the WAR links against, provided by the server).
 *
 * <p>What it checks first: {@link io.quotecast.websocket.tyrus.TyrusWritePath#ifContainer} offers the
 * path only where the {@code ServerContainer}'s class is in {@code org.glassfish.tyrus.}, before any
 * Tyrus type is loaded; then, per session, that each field exists and that the last one holds a
 * tyrus-spi {@code Writer}.
 *
 * <p>How it falls back: a session where any of that fails gets the portable sink
 * ({@code websocket.PortableSink}), and the first such session is logged as a WARNING
 * ({@code SessionSinks.accelerated}); {@code connection.writePath=portable} rules this package out.
 *
 * <p>Its rule: only this package of the WAR may name a Tyrus type, and only tyrus-spi's
 * ({@code PackageRulesTest}, {@code PackagingIT}); it depends on {@code websocket} and {@code stream}.
 */
package io.quotecast.websocket.tyrus;
