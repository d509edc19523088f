package io.quotecast.server;

import io.quotecast.behaviour.ProtocolPromises;
import io.quotecast.behaviour.SlowClientBehaviour;
import io.quotecast.behaviour.SubscriptionBehaviour;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.StreamServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The behaviours every deployment shares, on the standalone server at the settings the application
 * servers run them with (pom.xml: 5000 ticks/s, a client stuck for 8 s closed) and the default
 * flush window.
 */
@RealParts
class StandaloneBehaviourTest implements ProtocolPromises, SlowClientBehaviour, SubscriptionBehaviour {

    /**
     * The message rate is lifted here so that the flood of {@code history} meets the byte bound on
     * what waits for a connection, not the rate limit first (MessageRateLimitTest checks that).
     */
    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(
            "feed.ticksPerSecond", "5000", "connection.stuckTimeoutMillis", "8000",
            "connection.maxMessagesPerSecond", "1000000");

    @Override
    public StreamServer server() {
        return server;
    }

    @Override
    public long stuckTimeoutMillis() {
        return 8000;
    }
}
