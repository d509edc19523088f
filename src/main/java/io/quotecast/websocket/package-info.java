/**
 * The protocol over Jakarta WebSocket (JSR 356): the quote stream's endpoint, a thin adapter of the
 * Jakarta life cycle to each connection's {@link io.quotecast.protocol.ProtocolSession} (where the
 * protocol's rules live), and its deployment ({@code QuoteEndpoint.config}: one configurator doing
 * admission and handing each endpoint its application), the client's frames put together within the
 * size limit ({@code ClientFrames}), the quote frames' JSON ({@code QuoteEncoder}), each connection's
 * guard (limits, keepalive, counts and logs), and the {@link io.quotecast.stream.FrameSink}s over a
 * session.
 *
 * <p>Its rule: the portable Jakarta WebSocket API (a container's own types only by reflection, the
 * Tyrus SPI only in {@code TyrusWriterSink} and Undertow's core only in {@code UndertowFrameSink},
 * each behind a check, never Grizzly); it depends on the application root, {@code protocol},
 * {@code stream}, {@code market}, {@code security} and {@code ops}, and none of them on it:
 * {@code server} and {@code web} deploy it, handing it the application.
 */
package io.quotecast.websocket;
