package io.quotecast.server;

import io.quotecast.behaviour.ProtocolPromises;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.StreamServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The protocol's promises with the flush window off ({@code connection.flushMillis=0}): each quote written at once. */
@RealParts
class WithoutFlushWindowTest implements ProtocolPromises {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "5000", "connection.flushMillis", "0");

    @Override
    public StreamServer server() {
        return server;
    }
}
