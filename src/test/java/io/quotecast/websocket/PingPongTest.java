package io.quotecast.websocket;

import io.quotecast.ops.Keepalive;
import io.quotecast.stream.SubscriptionRegistry;
import io.quotecast.testing.Eventually;
import io.quotecast.testing.PausedClient;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keepalive over the wire, with short periods: a ping every second, a second to answer, and 3 s of
 * idleness without a subscription.
 */
@RealParts
class PingPongTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "500",
            "connection.pingSeconds", "1", "connection.pongTimeoutSeconds", "1", "connection.unsubscribedIdleSeconds", "3");

    /**
     * A raw socket that reads every frame but never answers a ping (a peer whose WebSocket stack is
     * gone, or a half-open connection), next to the JDK's client, which answers pings by itself.
     */
    @Test
    void aPeerThatNeverAnswersPingsIsDroppedInTimeAndOneThatAnswersStays() {
        SubscriptionRegistry registry = server.server().quotecast().hub().registry();
        try (TestClient answering = TestClient.connect(server.stream("?symbols=ACME"));
             PausedClient silent = PausedClient.connect(server.stream("?symbols=ACME"))) {
            answering.next(quoteOf("ACME"));
            long start = System.nanoTime();
            // it reads (so it is not a stuck client) and skips pings: no pong ever goes back
            int code = silent.readUntilClose(Duration.ofSeconds(10));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(Keepalive.CLOSE_NO_PONG.code(), code, "closed as gone, after " + millis + " ms");
            // a ping after 1 s, 1 s to answer, a sweep of 250 ms: 2.25 s, with room for a loaded machine
            assertTrue(millis < 6_000, "dropped in " + millis + " ms");
            Eventually.await("the server forgot it", () -> registry.connectionCount() == 1);
            assertEquals(1, server.server().quotecast().operations().keepalive().closedNoPong());
            // the JDK client answered every ping meanwhile, and goes on answering
            long pings = server.server().quotecast().operations().keepalive().pingsSent();
            answering.collect(frame -> false, Duration.ofSeconds(3));
            assertTrue(server.server().quotecast().operations().keepalive().pingsSent() >= pings + 2, "pinged meanwhile");
            assertFalse(answering.isClosedByServer(), "a client that answers pings stays");
            answering.next(quoteOf("ACME"));
        }
    }

    @Test
    void aConnectionThatNeverSubscribesIsClosedAfterTheIdleTime() {
        try (TestClient idle = server.connect(); TestClient subscribed = TestClient.connect(server.stream("?symbols=ACME"))) {
            idle.next("hello");
            long start = System.nanoTime();
            assertEquals(Keepalive.CLOSE_IDLE.code(), idle.awaitClose());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 2_500 && millis < 7_000, "closed after about 3 s: " + millis + " ms");
            assertTrue(idle.closeReason().contains("idle"), idle.closeReason());
            assertFalse(subscribed.isClosedByServer(), "a subscribed connection is not idle");
        }
    }

    @Test
    void aClientThatKeepsTalkingIsNotIdleEvenWithoutASubscription() {
        try (TestClient talking = server.connect()) {
            talking.next("hello");
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < end) {
                talking.send("{\"action\":\"list\"}");
                talking.next("symbols");
                talking.collect(frame -> false, Duration.ofMillis(500));
            }
            assertFalse(talking.isClosedByServer());
        }
    }
}
