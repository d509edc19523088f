/**
 * The protocol over Jakarta WebSocket (JSR 356): the quote stream's endpoint, a thin adapter of the
 * Jakarta life cycle to each connection's {@link io.quotecast.protocol.ProtocolSession} (where the
 * protocol's rules live), and its deployment ({@code QuoteEndpoint.config}: one configurator doing
 * admission and handing each endpoint its application), the client's frames put together within the
 * size limit ({@code ClientFrames}), the quote frames' JSON ({@code QuoteEncoder}), each connection's
 * guard (limits, keepalive, counts and logs), and the {@link io.quotecast.stream.FrameSink}s over a
 * session.
 *
 * <p>Its rule: the portable Jakarta WebSocket API, and nothing of any container. No container type,
 * container class name, private member or method handle: each container's accelerated write path is
 * in a package of its own ({@code websocket.tyrus} for GlassFish and Payara, {@code websocket.undertow}
 * for WildFly, {@code server.tyrus} for the standalone server), and reaches this one only through
 * {@link io.quotecast.websocket.SessionSinks} (the deployment hands its container's
 * {@code SessionSinks.Accelerator}s to {@code forContainer}) and the sinks' bases
 * {@link io.quotecast.websocket.SessionSink} and {@link io.quotecast.websocket.FramedWriteSink}; this
 * package names none of them. One exception, argued: {@code PeerAddress} asks a session for its
 * client's address through public getters by name ({@code getRemoteAddr}, {@code getWebSocketChannel},
 * {@code getSourceAddress}), duck-typed: it names no container class, reads no private state, links
 * against nothing, and a session without them is simply asked the next way; and the address must be
 * found whatever write path the deployment chose ({@code connection.writePath=portable} included),
 * so it belongs with the portable code rather than with an accelerator that may be off.
 * A second: {@code PortableSink} puts Tomcat's documented user property for a blocking send's
 * timeout ({@code org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT}) into each session's user
 * properties, a public key that other containers ignore, so that the batch's blocking flush is bounded
 * there too.
 *
 * <p>It depends on the application root, {@code protocol}, {@code stream}, {@code market},
 * {@code security} and {@code ops}, and none of them on it: {@code server} and {@code web} deploy it, handing it the
 * application.
 */
package io.quotecast.websocket;
