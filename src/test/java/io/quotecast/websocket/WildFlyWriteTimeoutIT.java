package io.quotecast.websocket;

import io.quotecast.testing.AppServer;
import io.quotecast.testing.TestClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The WAR on a WildFly whose HTTP listener has a short {@code write-timeout}, as an operator may set
 * one: a client the server wrote to, that then got nothing for longer than that timeout, is still
 * answered. (Undertow clears the timeout's deadline only when its own flush ends; writes that bypass
 * its queue must not leave the deadline standing.) The server is this test's own: the Arquillian
 * run's WildFly has the default listener.
 */
class WildFlyWriteTimeoutIT {

    private static final Path WAR = Path.of("target", "quotecast.war");
    private static final Duration WRITE_TIMEOUT = Duration.ofMillis(1500);

    @Test
    void aClientThatGotNothingForLongerThanTheWriteTimeoutIsStillAnswered() {
        // A feed so slow that no subscribed symbol ticks during the test, and pings far apart.
        Map<String, String> settings = Map.of("feed.ticksPerSecond", "0.001", "connection.pingSeconds", "600");
        try (AppServer wildFly = AppServer.wildFly(Path.of(System.getProperty("it.wildflyHome")),
                Path.of("target", "write-timeout", "wildfly"), WAR, "quotecast", settings,
                Map.of("write-timeout", Long.toString(WRITE_TIMEOUT.toMillis())));
             TestClient client = TestClient.connect(wildFly.stream(""))) {
            client.next("hello");
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            client.next("subscribed");
            client.next(quoteOf("ACME"));

            assertEquals(List.of(), client.collect(frame -> true, WRITE_TIMEOUT.multipliedBy(2)),
                    "nothing written for twice the write timeout");

            client.send("{\"action\":\"subscribe\",\"symbols\":[\"GLOBX\"]}");
            JsonObject subscribed = client.next("subscribed");
            assertEquals("GLOBX", subscribed.getJsonArray("symbols").getString(0), subscribed.toString());
            JsonObject snapshot = client.next(quoteOf("GLOBX"));
            assertEquals(true, snapshot.getBoolean("snapshot", false), snapshot.toString());
        }
    }
}
