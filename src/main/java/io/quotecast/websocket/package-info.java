/**
 * The protocol over Jakarta WebSocket (JSR 356): the {@code @ServerEndpoint}, its handshake
 * configurator, the JSON encoders and decoder, and the {@link io.quotecast.stream.FrameSink}s over a
 * session.
 *
 * <p>Its rule: the portable Jakarta WebSocket API (a container's own types only by reflection, the
 * Tyrus SPI only in {@code TyrusWriterSink} and Undertow's core only in {@code UndertowFrameSink},
 * each behind a check, never Grizzly); it depends on
 * {@code stream}, {@code market}, {@code security} and {@code ops}, and none of them on it.
 */
package io.quotecast.websocket;
