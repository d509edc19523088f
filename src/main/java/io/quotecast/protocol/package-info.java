/**
 * The quotecast.v1 protocol with no transport: its messages ({@code ClientMessage},
 * {@code ServerMessage}, {@code ErrorCode}), their JSON (the decoder of client requests, the encoder
 * of replies), its constants ({@code Protocol}), and its rules, one {@code ProtocolSession} per
 * connection: driven by decoded messages, answering through the hub's {@code Subscriber} and the
 * connection's {@code FrameSink}, on an injected {@code SessionClock}, with the symbols of a request
 * resolved by {@code SymbolRequest} (a pure function). Unit-tested with a fake sink and a manual clock,
 * no socket.
 *
 * <p>Its rule: no transport type (no {@code jakarta.websocket}, servlet, Grizzly, Tyrus or Undertow;
 * JSON-P is the protocol's own format); it depends on {@code stream}, {@code market},
 * {@code security} and {@code ops}, and none of them on it. {@code websocket} adapts the Jakarta
 * WebSocket life cycle to it.
 */
package io.quotecast.protocol;
