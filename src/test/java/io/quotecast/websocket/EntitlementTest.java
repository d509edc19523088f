package io.quotecast.websocket;

import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import io.quotecast.testing.Tokens;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.quotecast.testing.TestClient.ofType;
import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code symbols} claim of a token limits subscribe, {@code *}, the URL form, history and list. */
@RealParts
class EntitlementTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass(Tokens.settings("optional",
            "feed.ticksPerSecond", "500", "security.anonymousSymbols", "INITE"));

    static final String ANN = Tokens.valid("ann", List.of("ACME", "GLOBX"), Duration.ofHours(1));

    @Test
    void subscribingToASymbolOutsideTheTokenIsForbiddenAndTheRestApplies() {
        try (TestClient client = ann("")) {
            client.next("hello");
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"acme\",\"INITE\",\"UMBR\"]}");
            JsonObject error = client.next("error");
            assertEquals("forbidden", error.getString("code"));
            assertEquals("subscribe", error.getString("action"));
            assertTrue(error.getString("message").contains("INITE") && error.getString("message").contains("UMBR"), error.toString());
            assertEquals(Set.of("ACME"), ConnectingTest.strings(client.next("subscribed")));
            client.next(quoteOf("ACME"));
        }
    }

    @Test
    void starSubscribesToEverythingTheTokenEntitlesToAndNothingElse() {
        try (TestClient client = ann("")) {
            client.next("hello");
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"*\"]}");
            assertEquals(Set.of("ACME", "GLOBX"), ConnectingTest.strings(client.next("subscribed")));
            List<JsonObject> quotes = client.collect(ofType("quote"), Duration.ofSeconds(1));
            assertTrue(quotes.stream().allMatch(q -> Set.of("ACME", "GLOBX").contains(q.getString("symbol"))), quotes.toString());
            assertTrue(client.history().stream().noneMatch(ofType("error")), client.history().toString());
        }
    }

    @Test
    void theUrlFormFollowsTheSameRule() {
        try (TestClient client = ann("?symbols=GLOBX,INITE")) {
            client.next("hello");
            JsonObject error = client.next("error");
            assertEquals("forbidden", error.getString("code"));
            assertTrue(error.getString("message").contains("INITE"), error.toString());
            assertEquals(Set.of("GLOBX"), ConnectingTest.strings(client.next("subscribed")));
            client.next(quoteOf("GLOBX"));
        }
    }

    @Test
    void historyOfASymbolOutsideTheTokenIsForbidden() {
        try (TestClient client = ann("")) {
            client.next("hello");
            client.send("{\"action\":\"history\",\"symbol\":\"INITE\",\"interval\":\"1s\"}");
            JsonObject error = client.next("error");
            assertEquals("forbidden", error.getString("code"));
            assertEquals("history", error.getString("action"));
            assertTrue(error.getString("message").contains("INITE"), error.toString());
            client.send("{\"action\":\"history\",\"symbol\":\"ACME\",\"interval\":\"1s\"}");
            assertEquals("ACME", client.next("bars").getString("symbol"));
        }
    }

    @Test
    void listAndHelloCountOnlyTheEntitledSymbols() {
        try (TestClient client = ann("")) {
            assertEquals(2, client.next("hello").getInt("symbols"));
            client.send("{\"action\":\"list\"}");
            assertEquals(2, client.next("symbols").getJsonArray("symbols").size());
        }
    }

    @Test
    void anAnonymousClientGetsTheAnonymousSymbols() {
        try (TestClient client = TestClient.connect(server.stream("?symbols=*"))) {
            JsonObject hello = client.next("hello");
            assertTrue(hello.isNull("user"), hello.toString());
            assertEquals(Set.of("INITE"), ConnectingTest.strings(client.next("subscribed")));
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            assertEquals("forbidden", client.next("error").getString("code"));
        }
    }

    private static TestClient ann(String query) {
        URI uri = server.stream(query);
        return TestClient.connect(uri, Map.of("Authorization", "Bearer " + ANN));
    }
}
