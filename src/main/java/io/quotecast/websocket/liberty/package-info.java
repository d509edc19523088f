/**
 * The WAR's write path on Open Liberty ({@code liberty}): the portable path's sink, with the frames of
 * each gathered write written in one go through Liberty's own connection link, where the Jakarta API
 * would send them one blocking {@code sendText} (one system call, and Liberty's work per frame) each.
 * Split by job: {@link io.quotecast.websocket.liberty.LibertyFrameWriter} (the write below the API)
 * and {@link io.quotecast.websocket.liberty.LibertyWritePath} (the check and the factory).
 *
 * <p>What it touches, by reflection: the private {@code impl} of the session's blocking remote
 * ({@code RemoteEndpointBasicExt}), that remote's package-private {@code connLink} ({@code WsocConnLink})
 * and the link's private {@code tcpConnection}; through public methods, the link's {@code okToWrite},
 * {@code signalNotWriting} and {@code getBufferManager}, and the TCP channel's public SPI
 * ({@code TCPWriteRequestContext.setBuffer} and its async {@code write} with a
 * {@code TCPWriteCompletedCallback}, {@code WsByteBufferPoolManager.wrap}, {@code WsByteBuffer.release}).
 * A write takes the link's write permit as Liberty's own sends take it, and gives it back once written,
 * so Liberty's writes and ours never overlap; it never waits for the client (the write's rest goes to
 * Liberty's selector, with the container's send timeout), so no client holds a flusher.
 *
 * <p>What it checks first: {@link io.quotecast.websocket.liberty.LibertyWritePath#ifContainer} offers
 * the path only where the {@code ServerContainer}'s class is in {@code io.openliberty.wsoc.} or
 * {@code com.ibm.ws.wsoc.}; per session, that every field and method above is found, before the
 * session's first write.
 *
 * <p>How it falls back: where any of them is not found (another Liberty version), the session gets the
 * portable sink, the first such session logged as a WARNING ({@code SessionSinks.framedByContainer}).
 * {@code connection.writePath=portable} rules this package out.
 *
 * <p>Its rule: the only package of the WAR that may name Liberty's classes, and it names them only as
 * strings ({@code PackageRulesTest}); it depends on {@code websocket} alone.
 */
package io.quotecast.websocket.liberty;
