package io.quotecast.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class TyrusSessionSinkTest {

    @Test
    void theShippedTyrusStillHasTheInternalsTheFastSendPathUses() {
        // If a Tyrus upgrade moves them, the standalone server silently falls back to the slower
        // portable path: this makes the upgrade fail loudly instead, so the benchmark gets rerun.
        assertTrue(TyrusSessionSink.available(), "TyrusRemoteEndpoint.webSocket, TyrusWebSocket.protocolHandler, ProtocolHandler.writer, GrizzlyWriter.connection");
    }
}
