package io.quotecast.stream;

import io.quotecast.testing.Eventually;
import io.quotecast.testing.PausedClient;
import io.quotecast.testing.ServerPerClass;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.StringReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stalls for seconds and then reads again gets the latest quote of each symbol, with
 * jumps in {@code seq} but never a step back, however far behind the feed it fell.
 */
class FarBehindClientTest {

    /** 5000 ticks/s: the live frames an outbox still points to are long gone from the server's log after 2 s. */
    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "5000");

    @Test
    void aClientThatStallsThenReadsAgainSeesSeqOnlyMoveForward() {
        QuoteHub hub = server.server().quotecast().hub();
        Set<Subscriber> before = hub.registry().connections();
        try (PausedClient client = PausedClient.connect(server.stream("?symbols=*"))) {
            Eventually.await("the client is registered", () -> hub.registry().connectionCount() > before.size());
            Subscriber stalled = hub.registry().connections().stream().filter(s -> !before.contains(s)).findFirst().orElseThrow();
            Eventually.await("the client has had a write in flight for 2 s",
                    () -> stalled.stuckFor(System.nanoTime()) > Duration.ofSeconds(2).toNanos(), Duration.ofSeconds(30));

            // The kernel's buffers and the in-order backlog (half of a 1 MiB budget) come first, every tick.
            List<String> frames = client.readTextFrames(20_000);
            assertEquals(20_000, frames.size(), "the stream goes on once the client reads again");
            Map<String, Long> lastSeq = new HashMap<>();
            boolean jumped = false;
            for (String text : frames) {
                JsonObject frame = Json.createReader(new StringReader(text)).readObject();
                if (!"quote".equals(frame.getString("type"))) {
                    continue;
                }
                String symbol = frame.getString("symbol");
                long seq = frame.getJsonNumber("seq").longValue();
                Long previous = lastSeq.put(symbol, seq);
                assertTrue(previous == null || seq > previous,
                        symbol + " went from seq " + previous + " to " + seq);
                jumped |= previous != null && seq > previous + 1;
            }
            assertEquals(50, lastSeq.size(), "every subscribed symbol came through");
            assertTrue(jumped, "quotes that waited were conflated: seq jumps");
            assertTrue(stalled.quotesConflated() > 0, "the server conflated instead of queueing");
        }
    }
}
