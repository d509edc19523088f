package io.quotecast.server;

import io.quotecast.behaviour.ProtocolPromises;
import io.quotecast.behaviour.SlowClientBehaviour;
import io.quotecast.behaviour.SubscriptionBehaviour;
import io.quotecast.testing.PrometheusText;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.StreamServer;
import io.quotecast.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code connection.writePath=portable} on the standalone server: every connection takes the portable
 * Jakarta WebSocket path (one send in flight, pings and the close frame ordered with the sends), and
 * the behaviours every deployment shares hold on it, as on the accelerated path.
 */
@RealParts
class PortableWritePathTest implements ProtocolPromises, SlowClientBehaviour, SubscriptionBehaviour {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(
            "feed.ticksPerSecond", "5000", "connection.stuckTimeoutMillis", "8000",
            "connection.maxMessagesPerSecond", "1000000", "connection.writePath", "portable",
            "connection.pingSeconds", "1");

    @Override
    public StreamServer server() {
        return server;
    }

    @Override
    public long stuckTimeoutMillis() {
        return 8000;
    }

    /**
     * On the portable path the standalone server's Tyrus reports each send done once it has queued it
     * for Grizzly, as GlassFish's Tyrus does (GlassFishContainerIT): behind that queue the outbox may not
     * see a far-behind client fall behind within the seconds this test waits, so the stream may come in
     * order, without a jump. What holds everywhere is checked by the behaviour itself: seq only moves
     * forward, every symbol comes, and the stream goes on once the client reads again; the stuck client
     * is still closed (aClientStuck...). The accelerated path (StandaloneBehaviourTest) conflates.
     */
    @Override
    public void assertConflated(boolean jumped) {
        System.out.println("standalone, portable path, far-behind client: seq jumped (the outbox conflated): " + jumped);
    }

    @Test
    void everyConnectionTakesThePortablePath() throws Exception {
        try (TestClient client = TestClient.connect(server.stream("?symbols=ACME"))) {
            client.next(quoteOf("ACME"));
            HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(server.page("/metrics")).timeout(TestClient.TIMEOUT).build(),
                            HttpResponse.BodyHandlers.ofString());
            PrometheusText metrics = PrometheusText.parse(response.body());
            assertTrue(metrics.value("quotecast_connections_write_path_total", "path=\"portable\"") >= 1, metrics.toString());
            assertFalse(metrics.has("quotecast_connections_write_path_total", "path=\"tyrus-grizzly\""), metrics.toString());
        }
    }
}
