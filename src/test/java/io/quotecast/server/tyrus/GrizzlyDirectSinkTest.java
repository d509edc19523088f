package io.quotecast.server.tyrus;

import io.quotecast.stream.Subscriber;
import io.quotecast.testing.Eventually;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * If a Tyrus upgrade moves the internals the standalone server's fast send path uses, the server
 * silently falls back to the slower portable path: these make the upgrade fail loudly instead, so
 * that the benchmark gets rerun.
 */
@RealParts
class GrizzlyDirectSinkTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass();

    @Test
    void theShippedTyrusStillHasTheInternalsTheFastSendPathUses() {
        assertTrue(GrizzlyDirectSink.available(),
                "TyrusRemoteEndpoint.webSocket, TyrusWebSocket.protocolHandler, ProtocolHandler.writer, GrizzlyWriter.connection");
    }

    @Test
    void aConnectedClientGetsTheFastPathThatWritesFramesTogether() {
        Set<Subscriber> before = server.server().quotecast().hub().registry().connections();
        try (TestClient client = server.connect()) {
            client.next("hello");
            Eventually.await("the client is registered",
                    () -> server.server().quotecast().hub().registry().connectionCount() > before.size());
            Subscriber subscriber = server.server().quotecast().hub().registry().connections().stream()
                    .filter(s -> !before.contains(s)).findFirst().orElseThrow();
            assertTrue(subscriber.writesTogether(), "the session's Grizzly connection was not reachable at open");
        }
    }
}
