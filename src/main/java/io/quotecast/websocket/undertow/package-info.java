/**
 * The WAR's accelerated write path on Undertow (WildFly): gathered frames, already framed, written
 * straight to the session's connection where Undertow has nothing of its own waiting, else queued as
 * one of Undertow's frame channels. Split by job: {@link io.quotecast.websocket.undertow.UndertowFrameSink}
 * (the sink: which way each write goes, the scratch buffers), {@code DirectWriter} (the write below
 * Undertow's frame queue), {@code PrefixConduit} and {@code SocketConduit} (our conduit on the
 * connection, and where below Undertow's timeout conduits it writes), {@code FrameBatch} (the
 * frame-channel way), {@link io.quotecast.websocket.undertow.UndertowWritePath} (the check and the factory).
 *
 * <p>What it touches: the session's public {@code getWebSocketChannel()} (by reflection, so that only
 * Undertow's core module is needed); through {@code MethodHandles.privateLookupIn}, the private
 * {@code AbstractFramedChannel.getUnderlyingConnection()} and its frame queues {@code pendingFrames},
 * {@code heldFrames}, {@code newFrames} and flag {@code flushingSenders}, {@code IdleTimeoutConduit.sink}
 * and XNIO's {@code AbstractConduit.next}; and it puts a conduit of its own on top of the connection's
 * sink conduits (on the connection's I/O thread).
 *
 * <p>What it checks first: {@link io.quotecast.websocket.undertow.UndertowWritePath#ifContainer}
 * offers the path only where the {@code ServerContainer}'s class is in {@code io.undertow.}, before
 * any Undertow type is loaded; per session, that the channel is a server {@code WebSocketChannel}
 * without extensions; the method handles are looked up once, and a write goes direct only when
 * Undertow's queues are empty, it is not flushing, and no close frame has gone either way.
 *
 * <p>How it falls back: where the channel is unreachable, the session gets the portable sink, the
 * first such session logged as a WARNING ({@code SessionSinks.accelerated}); where only the private
 * queues are unreachable, every write takes the frame-channel way; where the timeout conduits are not
 * the chain this was built on, our bytes go through the whole chain. {@code connection.writePath=portable}
 * rules this package out.
 *
 * <p>Its rule: the only package of the WAR that may name an Undertow or XNIO type
 * ({@code PackageRulesTest}, {@code PackagingIT}; WildFly shows it Undertow's core through
 * {@code WEB-INF/jboss-deployment-structure.xml}); it depends on {@code websocket} and {@code stream}.
 */
package io.quotecast.websocket.undertow;
