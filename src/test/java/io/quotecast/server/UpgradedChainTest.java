package io.quotecast.server;

import io.quotecast.stream.Subscriber;
import io.quotecast.server.tyrus.UpgradedChain;
import io.quotecast.testing.Eventually;
import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import io.quotecast.testing.TestClient;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Set;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An upgraded connection leaves Grizzly's HTTP chain (and the 11 KiB of the handshake's HTTP objects it
 * kept) for {@link UpgradedChain}. If a Tyrus upgrade renames the attributes that chain reads, connections
 * silently stay on the HTTP chain and the heap per connection more than doubles: the first test fails instead.
 */
@RealParts
class UpgradedChainTest {

    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass();

    @Test
    void anUpgradedConnectionMovesOffTheHttpChainAndItsMessagesStillArrive() {
        long before = server.server().upgradedConnections();
        try (TestClient client = server.connect()) {
            client.next("hello");
            Eventually.await("the connection moves onto the upgraded chain",
                    () -> server.server().upgradedConnections() > before, Duration.ofSeconds(10));
            // read through the new chain: the server only answers what it read
            client.send(Json.createObjectBuilder().add("action", "subscribe")
                    .add("symbols", Json.createArrayBuilder().add("ACME")).build().toString());
            assertEquals("ACME", client.next("subscribed").getJsonArray("symbols").getString(0));
            client.next(quoteOf("ACME"));
        }
    }

    @Test
    void clientsThatSubscribeTheMomentTheHandshakeIsDoneAreAllAnswered() {
        // The connection moves chains while the server still finishes the handshake; a message sent at
        // once, before even the hello is read, must not fall between the two.
        String subscribe = Json.createObjectBuilder().add("action", "subscribe")
                .add("symbols", Json.createArrayBuilder().add("ACME")).build().toString();
        for (int i = 0; i < 1000; i++) {
            try (TestClient client = server.connect()) {
                client.send(subscribe);
                assertEquals("ACME", client.next("subscribed").getJsonArray("symbols").getString(0), "client " + i);
            }
        }
    }

    @Test
    void aClientThatVanishesAfterTheMoveIsForgotten() {
        Set<Subscriber> before = server.server().quotecast().hub().registry().connections();
        long movedBefore = server.server().upgradedConnections();
        TestClient client = server.connect();
        client.next("hello");
        Eventually.await("the client is registered and moved",
                () -> server.server().quotecast().hub().registry().connections().stream().anyMatch(s -> !before.contains(s))
                        && server.server().upgradedConnections() > movedBefore, Duration.ofSeconds(10));
        Subscriber subscriber = server.server().quotecast().hub().registry().connections().stream()
                .filter(s -> !before.contains(s)).findFirst().orElseThrow();
        client.abort(); // no close frame: the TCP connection just ends, and only the chain's close event says so
        Eventually.await("the server forgets the vanished client",
                () -> !server.server().quotecast().hub().registry().connections().contains(subscriber), Duration.ofSeconds(20));
    }
}
