/**
 * The standalone server's reach below Tyrus's public API, on the Tyrus and Grizzly versions the pom
 * pins (not the WAR's Tyrus path on GlassFish and Payara, which is {@code websocket.tyrus} and uses
 * tyrus-spi only): the {@code tyrus-grizzly} write path ({@link io.quotecast.server.tyrus.GrizzlyDirectSink}),
 * the Grizzly add-on's private constructor ({@link io.quotecast.server.tyrus.GrizzlyAddOn}), and the
 * chain an upgraded connection reads through once it leaves Grizzly's HTTP chain
 * ({@link io.quotecast.server.tyrus.UpgradedChain}).
 *
 * <p>What it touches: the private fields {@code TyrusRemoteEndpoint.webSocket},
 * {@code TyrusWebSocket.protocolHandler}, {@code ProtocolHandler.writer} and
 * {@code GrizzlyWriter.connection} (reflection, looked up once by class and name); then
 * {@code TyrusWebSocket.sendText} and the Grizzly connection's async write queue, both public; and
 * {@code WebSocketAddOn}'s private constructor; the two connection attributes Tyrus's
 * {@code GrizzlyServerFilter} sets on an upgraded connection (its Tyrus connection and its
 * {@code TaskProcessor}), read by name.
 *
 * <p>What it checks first: each field is looked up once, and {@code GrizzlyDirectSink.available()}
 * says whether all were found ({@code GrizzlyDirectSinkTest} fails the build if an upgrade moved one);
 * per session, that the remote is Tyrus's and holds a {@code TyrusWebSocket}, and that its writer is
 * Grizzly's; the server itself picks the portable path with TLS (these writes go below the TLS filter)
 * and with {@code connection.writePath=portable}.
 *
 * <p>How it falls back: a session whose socket is unreachable gets the portable sink, the first one
 * logged as a WARNING ({@code SessionSinks.accelerated}); one whose Grizzly connection is unreachable
 * sends every frame as text through the Tyrus socket, one at a time. Without the add-on's constructor
 * the server does not start, and says why. A connection without those two attributes stays on the
 * HTTP chain, as it was ({@code UpgradedChainTest} fails the build if an upgrade renamed them).
 *
 * <p>Its rule: with {@code server}, the only package that may name Tyrus's core or Grizzly; nothing of
 * the WAR contains it. It depends on {@code websocket} and {@code stream}; only {@code server} uses it.
 */
package io.quotecast.server.tyrus;
