package io.quotecast.client;

import io.quotecast.testing.Contract;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client's logic in memory: a fake transport plays the server, a manual scheduler runs the time. */
class SessionTest {

    private final FakeTransport server = new FakeTransport();
    private final ManualScheduler time = new ManualScheduler();
    private final RecordingListener app = new RecordingListener();

    private QuotecastClient client(Supplier<String> tokens) {
        return QuotecastClient.builder(URI.create("ws://localhost/quotes")).listener(app).tokens(tokens)
                .transport(server).scheduler(time).random(bound -> 0).connect();
    }

    @Test
    void afterADropItResubscribesWithSinceAndEpoch() {
        QuotecastClient client = client(null);
        client.subscribe("acme");
        server.last().open("run-1").quote("ACME", 7).quote("ACME", 8).end(1006, "gone");
        time.advance(time.nextDelay());
        server.last().open("run-1");
        assertEquals("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"],\"since\":{\"ACME\":8},\"epoch\":\"run-1\"}",
                server.last().lastSent());
    }

    @Test
    void aReplayedTickAlreadyDeliveredIsDropped() {
        QuotecastClient client = client(null);
        client.subscribe("ACME");
        server.last().open("run-1").quote("ACME", 1, ",\"snapshot\":true").quote("ACME", 2).end(1001, "bye");
        time.advance(time.nextDelay());
        server.last().open("run-1").quote("ACME", 2, ",\"snapshot\":true").quote("ACME", 3).quote("ACME", 4);
        assertEquals(List.of(1L, 2L, 3L, 4L), app.seqs);
    }

    @Test
    void aNewEpochIsToldAndTheGapNamesWhereTheStreamBroke() {
        QuotecastClient client = client(null);
        client.subscribe("ACME");
        server.last().open("run-1").quote("ACME", 41).end(1006, "restart");
        time.advance(time.nextDelay());
        server.last().open("run-2").quote("ACME", 3, ",\"snapshot\":true,\"gap\":true").quote("ACME", 4);
        assertEquals(List.of("tick ACME 41", "reconnecting after 1006", "epoch run-1 -> run-2", "gap ACME after 41 at 3",
                "tick ACME 3 gap", "tick ACME 4"), app.events);
        assertTrue(server.last().lastSent().contains("\"epoch\":\"run-1\""), "resumes with the epoch its seqs belong to");
    }

    @Test
    void aRefusedTokenStopsRetrying() {
        client(() -> "token");
        server.last().open("run-1").end(1008, "token expired");
        assertEquals(List.of("stopped 1008/0"), app.events);
        assertEquals(-1, time.nextDelay(), "no retry scheduled");
        assertEquals(1, server.attempts.size());
    }

    @Test
    void a1008WithoutATokenIsNotARefusalAndIsRetried() {
        client(null);
        server.last().open("run-1").end(1008, "over 1048576 bytes waiting: the client is not reading");
        assertEquals(List.of("reconnecting after 1008"), app.events);
        time.advance(time.nextDelay());
        assertEquals(2, server.attempts.size());
    }

    @Test
    void aRefusedTokenIsRetriedOnceTheSupplierHasANewOne() {
        List<String> tokens = new ArrayList<>(List.of("old", "new"));
        client(() -> tokens.size() > 1 ? tokens.remove(0) : tokens.get(0));
        server.last().open("run-1").end(1008, "token expired");
        assertEquals(List.of("reconnecting after 1008"), app.events);
        time.advance(time.nextDelay());
        assertEquals(2, server.attempts.size());
    }

    @Test
    void aHandshakeRefusedWith401StopsRetrying() {
        client(() -> "token");
        server.last().refuse(401);
        assertEquals(List.of("stopped -1/401"), app.events);
        assertEquals(1, server.attempts.size());
    }

    @Test
    void aServerAtItsLimitIsGivenTheOverloadedFloor() {
        client(null);
        server.last().open("run-1").end(1013, "try again later");
        assertTrue(app.delays.get(0).toMillis() >= Backoff.OVERLOADED_FLOOR.toMillis() / 2, app.delays.toString());
        time.advance(app.delays.get(0).toMillis());
        assertEquals(2, server.attempts.size());
    }

    @Test
    void theTokenIsRefreshedWithAuthBeforeItExpires() {
        List<String> issued = new ArrayList<>();
        long expiresAt = time.nowMillis() + 8_000;
        client(() -> {
            String token = jwt(expiresAt / 1000 + issued.size() * 8L);
            issued.add(token);
            return token;
        });
        FakeTransport.Attempt connection = server.last().open("run-1");
        assertEquals(issued.get(0), connection.token);
        time.advance(5_999);
        assertTrue(connection.sent.isEmpty(), "not yet: a quarter of the life before expiry");
        time.advance(1);
        assertEquals(Frames.auth(issued.get(1)), connection.lastSent());
    }

    @Test
    void theAuthenticatedReplySchedulesTheNextRefresh() {
        client(() -> jwt(time.nowMillis() / 1000 + 3600));
        FakeTransport.Attempt connection = server.last().open("run-1");
        connection.events.text("{\"type\":\"authenticated\",\"user\":\"ann\",\"expires\":" + (time.nowMillis() + 4_000) + "}");
        time.advance(3_000);
        assertEquals(1, connection.sent.size(), "refreshed a second before the new expiry: " + connection.sent);
    }

    @Test
    void everyRequestTheClientWritesIsInTheContract() {
        for (String frame : List.of(Frames.subscribe(List.of("ACME"), java.util.Map.of(), null),
                Frames.subscribe(List.of("*"), java.util.Map.of("ACME", 3L), "run-1"),
                Frames.unsubscribe(List.of("ACME")), Frames.history("ACME", "1m", 20), Frames.auth("a.b.c"))) {
            assertEquals(List.of(), Contract.served().checkClientMessage(frame), frame);
        }
    }

    @Test
    void historyAskedWhileReconnectingIsSentOnceConnected() {
        QuotecastClient client = client(null);
        client.history("ACME", "1s", 5);
        assertTrue(server.last().sent.isEmpty());
        server.last().open("run-1");
        assertEquals(Frames.history("ACME", "1s", 5), server.last().lastSent());
    }

    @Test
    void closeClosesTheConnectionAndStopsReconnecting() {
        QuotecastClient client = client(null);
        FakeTransport.Attempt connection = server.last().open("run-1");
        client.close();
        assertTrue(connection.closed);
        connection.end(1000, "bye");
        assertEquals(-1, time.nextDelay());
        assertEquals(List.of("stopped 1000/0"), app.events);
    }

    static String jwt(long expSeconds) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(("{\"sub\":\"ann\",\"exp\":" + expSeconds + "}").getBytes(StandardCharsets.UTF_8))
                + ".c2ln";
    }
}
