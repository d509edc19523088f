package io.quotecast.stream;

import io.quotecast.testing.ServerPerClass;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The protocol's promises ({@link ProtocolPromises}). With the flush window at its default: quotes are gathered into fewer writes. */
class PromisesWithFlushWindowTest extends ProtocolPromises {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "5000");

    @Override
    ServerPerClass server() {
        return server;
    }
}
