package io.quotecast.config;

import static io.quotecast.config.Settings.require;

/**
 * {@code connection.*}: what each WebSocket connection is allowed, how its quotes are written and how it
 * is watched.
 *
 * @param maxSymbols              {@code connection.maxSymbols}
 * @param maxFrameBytes           {@code connection.maxFrameBytes}
 * @param stuckTimeoutMillis      {@code connection.stuckTimeoutMillis}
 * @param maxQueuedBytes          {@code connection.maxQueuedBytes}
 * @param flushMillis             {@code connection.flushMillis}
 * @param containerFlushMillis     {@code connection.containerFlushMillis}
 * @param writePath               {@code connection.writePath}
 * @param maxMessagesPerSecond    {@code connection.maxMessagesPerSecond}
 * @param pingSeconds             {@code connection.pingSeconds}
 * @param pongTimeoutSeconds      {@code connection.pongTimeoutSeconds}
 * @param unsubscribedIdleSeconds {@code connection.unsubscribedIdleSeconds}
 */
public record ConnectionSettings(
        int maxSymbols,
        int maxFrameBytes,
        long stuckTimeoutMillis,
        long maxQueuedBytes,
        long flushMillis,
        long containerFlushMillis,
        WritePath writePath,
        int maxMessagesPerSecond,
        int pingSeconds,
        int pongTimeoutSeconds,
        int unsubscribedIdleSeconds) {

    public ConnectionSettings {
        require(maxSymbols > 0, "connection.maxSymbols must be > 0");
        require(maxFrameBytes >= 256, "connection.maxFrameBytes must be >= 256");
        require(stuckTimeoutMillis > 0, "connection.stuckTimeoutMillis must be > 0");
        require(maxQueuedBytes >= 256 * 1024, "connection.maxQueuedBytes must be >= 262144, room for a history reply");
        require(flushMillis >= 0 && flushMillis <= 1000, "connection.flushMillis must be 0..1000");
        require(containerFlushMillis >= 0 && containerFlushMillis <= 1000, "connection.containerFlushMillis must be 0..1000");
        require(maxMessagesPerSecond > 0, "connection.maxMessagesPerSecond must be > 0");
        require(pingSeconds > 0, "connection.pingSeconds must be > 0");
        require(pongTimeoutSeconds > 0, "connection.pongTimeoutSeconds must be > 0");
        require(unsubscribedIdleSeconds > 0, "connection.unsubscribedIdleSeconds must be > 0");
    }

    /**
     * The gathering window of a deployment whose writes go through a container's WebSocket stack (every
     * WAR, and the standalone server on the portable path), or of one whose writes go straight to the socket.
     */
    public long flushMillis(boolean containerWrites) {
        return containerWrites ? containerFlushMillis : flushMillis;
    }
}
