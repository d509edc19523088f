package io.quotecast.cluster;

import io.quotecast.testing.AppServer;
import io.quotecast.testing.NodeProcess;
import io.quotecast.testing.TestClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The unchanged WAR as a subscribing node of a cluster: a standalone publisher with its embedded broker,
 * and the WAR deployed on a real application server started with {@code feed.mode=subscribe} and
 * {@code broker.url} as its JVM's system properties, as an operator sets them. The server is one of this
 * test's own (a fresh GlassFish domain, a WildFly base directory, free ports), since the Arquillian runs'
 * servers have the local feed's settings.
 */
class WarSubscriberIT {

    private static final Path WAR = Path.of("target", "quotecast.war");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static String url;
    private static NodeProcess publisher;

    @BeforeAll
    static void startThePublisherAndItsBroker() {
        url = "tcp://127.0.0.1:" + NodeProcess.freePort();
        publisher = NodeProcess.start("war-publisher", "feed.mode", "publish", "broker.embedded", "true", "broker.url", url,
                "feed.ticksPerSecond", "100");
    }

    @AfterAll
    static void stopThePublisher() {
        if (publisher != null) {
            publisher.close();
        }
    }

    @Test
    void theWarOnGlassFishServesThePublishersTicksWithTheSameEpochSeqPriceAndTs() {
        try (AppServer glassFish = AppServer.glassFish(Path.of(System.getProperty("it.glassfishHome")),
                Path.of("target", "war-subscriber", "glassfish"), WAR, "quotecast", subscriberSettings())) {
            assertTheSameTicksOnBoth(glassFish);
        }
    }

    @Test
    void theWarOnWildFlyServesThePublishersTicksWithTheSameEpochSeqPriceAndTs() {
        try (AppServer wildFly = AppServer.wildFly(Path.of(System.getProperty("it.wildflyHome")),
                Path.of("target", "war-subscriber", "wildfly"), WAR, "quotecast", subscriberSettings())) {
            assertTheSameTicksOnBoth(wildFly);
        }
    }

    private static Map<String, String> subscriberSettings() {
        return Map.of("feed.mode", "subscribe", "broker.url", url);
    }

    private static void assertTheSameTicksOnBoth(AppServer war) {
        try (TestClient onPublisher = TestClient.connect(publisher.stream("?symbols=ACME"));
             TestClient onWar = TestClient.connect(war.stream("?symbols=ACME"))) {
            assertEquals(onPublisher.next("hello").getString("epoch"), onWar.next("hello").getString("epoch"), "epoch");
            long target = onPublisher.next(quoteOf("ACME").and(quote -> !quote.containsKey("snapshot"))).getJsonNumber("seq").longValue() + 3;
            JsonObject published = onPublisher.next(quoteOf("ACME").and(quote -> quote.getJsonNumber("seq").longValue() == target));
            JsonObject received = onWar.next(quoteOf("ACME").and(quote -> quote.getJsonNumber("seq").longValue() == target),
                    Duration.ofSeconds(15));
            for (String field : List.of("price", "volume", "ts")) {
                assertEquals(published.get(field), received.get(field), field + " of seq " + target);
            }
        }
        JsonObject broker = health(war).getJsonObject("broker");
        assertEquals("subscribe", broker.getString("role"), broker.toString());
        assertEquals("UP", broker.getString("state"), broker.toString());
    }

    private static JsonObject health(AppServer war) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(war.page("/health")).timeout(TestClient.TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return Json.createReader(new StringReader(body)).readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
