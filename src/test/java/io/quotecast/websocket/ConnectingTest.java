package io.quotecast.websocket;

import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import io.quotecast.testing.ConfiguredSymbols;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.Set;

import static io.quotecast.testing.TestClient.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@RealParts
class ConnectingTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "500");

    @Test
    void helloIsTheFirstFrameOnOpen() {
        try (TestClient client = server.connect()) {
            JsonObject hello = client.next();
            assertEquals("hello", hello.getString("type"));
            assertEquals("quotecast.v1", hello.getString("protocol"));
            assertTrue(hello.getString("server").startsWith("Quotecast/"), hello.toString());
            assertEquals(ConfiguredSymbols.count(), hello.getInt("symbols"));
        }
    }

    @Test
    void offeredSubprotocolIsSelected() {
        try (TestClient client = server.connect("quotecast.v1")) {
            assertEquals("quotecast.v1", client.subprotocol());
            assertEquals("hello", client.next().getString("type"));
        }
    }

    @Test
    void clientOfferingNoSubprotocolIsServedTheSame() {
        try (TestClient client = server.connect()) {
            assertEquals("", client.subprotocol());
            client.next("hello");
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            client.next("subscribed");
            assertTrue(client.next(TestClient.quoteOf("ACME")).getBoolean("snapshot"));
        }
    }

    @Test
    void symbolsInTheUrlSubscribeWithoutAMessage() {
        try (TestClient client = TestClient.connect(server.stream("?symbols=acme,GLOBX"))) {
            client.next("hello");
            assertEquals(Set.of("ACME", "GLOBX"), strings(client.next("subscribed")));
            client.next(TestClient.quoteOf("ACME"));
            client.next(TestClient.quoteOf("GLOBX"));
        }
    }

    @Test
    void starInTheUrlSubscribesToEverySymbol() {
        try (TestClient client = TestClient.connect(server.stream("?symbols=*"))) {
            assertEquals(ConfiguredSymbols.count(), client.next("subscribed").getJsonArray("symbols").size());
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                seen.add(client.next(ofType("quote")).getString("symbol"));
            }
            assertEquals(ConfiguredSymbols.count(), seen.size(), "a snapshot of every symbol comes first");
        }
    }

    static Set<String> strings(JsonObject frame) {
        Set<String> values = new HashSet<>();
        frame.getJsonArray("symbols").getValuesAs(jakarta.json.JsonString.class).forEach(s -> values.add(s.getString()));
        return values;
    }
}
