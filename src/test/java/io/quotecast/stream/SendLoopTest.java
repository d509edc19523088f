package io.quotecast.stream;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One client's writes, against a sink that holds them in flight and sender threads that run only
 * when the test says: one write at a time, what piles up behind it goes out gathered, within the
 * caps, and a failed write ends the connection.
 */
class SendLoopTest {

    static final int SYMBOLS = 4;
    static final long BUDGET = 1 << 20;
    static final long NO_WINDOW = 0;

    final FrameLog log = new FrameLog(SYMBOLS);
    final long[] seqs = new long[SYMBOLS];
    final ManualTimer timer = new ManualTimer();
    final ManualExecutor senders = new ManualExecutor();

    HeldSink sink = new HeldSink();
    Subscriber subscriber = connect(sink);

    @Test
    void aDrainWhileAWriteIsInFlightSendsNothingAndTheCompletionSendsWhatWaitedInOneWrite() {
        subscribe(0);
        tick(0);
        assertEquals(1, sink.inFlight.size());

        tick(0);
        tick(0);
        subscriber.drain(); // as a sender thread would, with the write still in flight
        senders.runAll();
        assertEquals(1, sink.inFlight.size(), "still the one write in flight");

        sink.completeOne();
        senders.runAll();
        assertEquals(List.of(1, 2), sink.writes, "the first tick, then the two that waited, together");
    }

    @Test
    void onlyOneDrainIsClaimedAtATime() {
        subscribe(0);
        assertEquals(Wake.BATCH_END, subscriber.accept(tickQuietly(0), timer.nanoTime(), NO_WINDOW),
                "a gathering transport's drain waits for the feed's batch to end");
        assertEquals(Wake.NONE, subscriber.accept(tickQuietly(0), timer.nanoTime(), NO_WINDOW),
                "a drain is due already");
        subscriber.drain();
        assertEquals(List.of(2), sink.writes);
    }

    @Test
    void aGatheredWriteCarriesAtMostTheFrameCap() {
        subscribe(0);
        tick(0);
        for (int i = 0; i < SendLoop.GATHER_FRAMES + 5; i++) {
            tick(0);
        }
        sink.completeOne();
        senders.runAll();
        assertEquals(List.of(1, SendLoop.GATHER_FRAMES), sink.writes);
        sink.completeOne();
        senders.runAll();
        assertEquals(List.of(1, SendLoop.GATHER_FRAMES, 5), sink.writes);
    }

    @Test
    void aGatheredWriteEndsWithTheFrameThatTakesItPastTheCharacterCap() {
        subscribe(0);
        tick(0);
        String history = "h".repeat(SendLoop.GATHER_CHARS / 3 + 1);
        for (int i = 0; i < 5; i++) {
            subscriber.send(history);
        }
        sink.completeOne();
        senders.runAll();
        assertEquals(List.of(1, 3), sink.writes, "three replies pass the cap: the third is the last of the write");
    }

    @Test
    void aSinkThatDoesNotGatherGetsOneFramePerWrite() {
        sink = new HeldSink(false);
        subscriber = connect(sink);
        subscribe(0);
        tick(0);
        tick(0);
        tick(0);
        sink.completeAll();
        senders.runAll();
        sink.completeAll();
        senders.runAll();
        sink.completeAll();
        assertEquals(List.of(1, 1, 1), sink.writes);
        assertEquals(3, sink.quotes().size());
    }

    @Test
    void aFailedWriteClosesTheTransportWith1011AndNothingMoreIsSent() {
        subscribe(0);
        tick(0);
        tick(0);
        sink.failOne(new IOException("connection reset"));
        senders.runAll();
        assertEquals(CloseCode.SERVER_ERROR, sink.closeCode);
        assertTrue(sink.closeReason.contains("connection reset"), sink.closeReason);
        tick(0);
        subscriber.send("late reply");
        senders.runAll();
        assertEquals(List.of(1), sink.writes, "nothing after the failed write");
        assertEquals(0, subscriber.framesWaiting(), "a closed connection holds nothing");
        assertEquals(0, subscriber.stuckFor(timer.nanoTime()));
    }

    @Test
    void aSendThatThrowsClosesTheTransportWith1011Once() {
        subscribe(0);
        sink.throwOnSend = new IllegalStateException("the session is closed");
        tick(0);
        tick(0);
        senders.runAll();
        assertEquals(CloseCode.SERVER_ERROR, sink.closeCode);
        assertEquals(1, sink.closes);
    }

    @Test
    void aWriteInFlightIsStuckForAsLongAsTheClockSaysAndNotOnceDone() {
        subscribe(0);
        tick(0);
        timer.advanceMillis(250);
        assertEquals(250_000_000L, subscriber.stuckFor(timer.nanoTime()));
        sink.completeAll();
        senders.runAll();
        assertEquals(0, subscriber.stuckFor(timer.nanoTime()));
    }

    @Test
    void aWriteThatCompletesBeforeItsSendReturnsLoopsOnInTheSameDrain() {
        sink = new HeldSink(false);
        sink.completeAtOnce = true;
        subscriber = connect(sink);
        subscribe(0);
        for (int i = 0; i < 3; i++) {
            subscriber.send("reply " + i);
        }
        assertEquals(1, senders.pending(), "one drain claimed for the three");
        senders.runAll();
        assertEquals(List.of(1, 1, 1), sink.writes, "all three sent by that one drain");
        assertEquals(0, subscriber.framesWaiting());
        assertNull(sink.closeCode);
    }

    private Subscriber connect(HeldSink sink) {
        return new Subscriber(SYMBOLS, sink, log, senders, timer, BUDGET);
    }

    private void subscribe(int symbol) {
        subscriber.activate(new int[] {symbol}, new int[] {symbol}, 0, "subscribed",
                (s, budget) -> new SubscriptionStart(seqs[s], new Frame[0]));
        senders.runAll();
        // The client reads the reply: each test starts with nothing in flight and nothing recorded.
        sink.completeAll();
        senders.runAll();
        sink.sent.clear();
        sink.writes.clear();
    }

    /** A tick handed over as the hub does with no gathering window: a claimed drain runs on a sender thread. */
    private void tick(int symbol) {
        if (subscriber.accept(tickQuietly(symbol), timer.nanoTime(), NO_WINDOW) != Wake.NONE) {
            senders.execute(subscriber::drain);
        }
        senders.runAll();
    }

    private Frame tickQuietly(int symbol) {
        long seq = ++seqs[symbol];
        return log.append("quote-" + symbol + "-" + seq, symbol, seq);
    }
}
