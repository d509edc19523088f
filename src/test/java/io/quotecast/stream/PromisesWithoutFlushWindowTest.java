package io.quotecast.stream;

import io.quotecast.testing.ServerPerClass;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The protocol's promises ({@link ProtocolPromises}). With the flush window off: each quote is written at once. */
class PromisesWithoutFlushWindowTest extends ProtocolPromises {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "5000", "connection.flushMillis", "0");

    @Override
    ServerPerClass server() {
        return server;
    }
}
