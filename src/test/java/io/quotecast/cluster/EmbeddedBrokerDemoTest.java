package io.quotecast.cluster;

import io.quotecast.testing.NodeProcess;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.TestClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cluster demo (docs/cluster.md): a publisher with {@code broker.embedded=true} is the broker, and a subscribing node needs nothing else. */
@RealParts
class EmbeddedBrokerDemoTest {

    @Test
    void aSubscriberServesThePublishersTicksThroughThePublishersEmbeddedBroker() {
        String url = "tcp://127.0.0.1:" + NodeProcess.freePort();
        try (NodeProcess publisher = NodeProcess.start("demo-publisher", "feed.mode", "publish", "broker.embedded", "true",
                     "broker.url", url, "feed.ticksPerSecond", "200");
             NodeProcess subscriber = NodeProcess.start("demo-subscriber", "feed.mode", "subscribe", "broker.url", url);
             TestClient onPublisher = TestClient.connect(publisher.stream("?symbols=ACME"));
             TestClient onSubscriber = TestClient.connect(subscriber.stream("?symbols=ACME"))) {
            assertEquals(onPublisher.next("hello").getString("epoch"), onSubscriber.next("hello").getString("epoch"));
            // a tick a little ahead, which both clients are sure to get live
            long target = onPublisher.next(quoteOf("ACME").and(quote -> !quote.containsKey("snapshot"))).getJsonNumber("seq").longValue() + 2;
            JsonObject published = onPublisher.next(quoteOf("ACME").and(quote -> quote.getJsonNumber("seq").longValue() == target));
            JsonObject received = onSubscriber.next(quoteOf("ACME").and(quote -> quote.getJsonNumber("seq").longValue() == target));
            assertEquals(published.get("price"), received.get("price"));
            assertEquals(published.get("ts"), received.get("ts"));
            assertEquals("UP", subscriber.health().getJsonObject("broker").getString("state"));
        }
    }
}
