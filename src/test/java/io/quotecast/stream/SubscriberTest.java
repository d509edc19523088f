package io.quotecast.stream;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One connection's outbox against an in-memory transport that completes a write only when the test
 * says so: what the client would read, in order, with no socket and no clock.
 */
class SubscriberTest {

    static final int SYMBOLS = 50;
    static final long BUDGET = 1 << 20;
    static final long NO_WINDOW = 0;

    final FrameLog log = new FrameLog(SYMBOLS);
    final long[] seqs = new long[SYMBOLS];
    final ManualTimer timer = new ManualTimer();
    final HeldSink sink = new HeldSink();
    final Subscriber subscriber = new Subscriber(SYMBOLS, sink, log, Runnable::run, timer, BUDGET);

    @Test
    void aReaderThatKeepsUpGetsEveryTickOfEverySymbolWhileItsWritesAreInFlight() {
        subscribeAll();
        // 20 rounds of 150 ticks (5000 ticks/s over a 30 ms window) each arriving while a write is in flight.
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 150; i++) {
                tick(i % SYMBOLS);
            }
            sink.completeAll();
        }
        List<Frame> quotes = sink.quotes();
        assertEquals(20 * 150, quotes.size(), "every tick reached the client");
        long[] last = new long[SYMBOLS];
        for (Frame quote : quotes) {
            assertEquals(last[quote.symbolIndex()] + 1, quote.seq(), "no seq skipped, none repeated");
            last[quote.symbolIndex()] = quote.seq();
        }
        assertEquals(0, subscriber.quotesConflated());
    }

    @Test
    void aClientThatFallsFarBehindIsConflatedToTheLatestQuoteOfEachSymbolAndHeldToTheBudget() {
        subscribeAll();
        tick(0); // the one write that never completes
        for (int i = 0; i < 20_000; i++) {
            tick(i % SYMBOLS);
            assertTrue(subscriber.charsWaiting() <= BUDGET, "held " + subscriber.charsWaiting());
        }
        assertTrue(subscriber.quotesConflated() > 10_000, "conflated: " + subscriber.quotesConflated());
        sink.completeAll();
        long[] last = new long[SYMBOLS];
        for (Frame quote : sink.quotes()) {
            assertTrue(quote.seq() > last[quote.symbolIndex()], "seq never goes backwards");
            last[quote.symbolIndex()] = quote.seq();
        }
        for (int symbol = 0; symbol < SYMBOLS; symbol++) {
            assertEquals(seqs[symbol], last[symbol], "the latest quote of every symbol arrives in the end");
        }
    }

    @Test
    void aReSubscribeGetsItsSnapshotEvenIfTheClientHadThatQuote() {
        subscribe(0, snapshotOf(0));
        tick(0);
        sink.completeAll();
        long had = sink.quotes().get(sink.quotes().size() - 1).seq();

        subscriber.deactivate(new int[] {0}, "unsubscribed");
        subscribe(0, snapshotOf(0));
        sink.completeAll();

        List<String> texts = sink.texts();
        int reply = texts.lastIndexOf("subscribed");
        assertEquals("snapshot-" + had, texts.get(reply + 1), "the snapshot follows the reply");
    }

    @Test
    void quotesOfTheOldSubscriptionStillWaitingNeverFollowTheNewSnapshot() {
        subscribe(0, snapshotOf(0));
        tick(1); // a write in flight holds the rest back
        subscribe(1, snapshotOf(1));
        for (int i = 0; i < 5; i++) {
            tick(0);
        }
        subscriber.deactivate(new int[] {0}, "unsubscribed");
        subscribe(0, snapshotOf(0));
        sink.completeAll();

        List<String> texts = sink.texts();
        int reply = texts.lastIndexOf("subscribed");
        int snapshot = reply + texts.subList(reply, texts.size()).indexOf("snapshot-" + seqs[0]);
        assertTrue(snapshot > 0, texts.toString());
        for (String text : texts.subList(snapshot + 1, texts.size())) {
            assertFalse(text.startsWith("quote-0-"), "an old quote after the new snapshot: " + texts);
        }
    }

    @Test
    void afterUnsubscribedNoQuoteOfTheSymbolGoesOut() {
        subscribe(0, snapshotOf(0));
        subscribe(1, snapshotOf(1));
        tick(1); // in flight
        for (int i = 0; i < 10; i++) {
            tick(0);
            tick(1);
        }
        subscriber.deactivate(new int[] {0}, "unsubscribed");
        tick(0);
        tick(1);
        sink.completeAll();

        List<String> texts = sink.texts();
        int reply = texts.indexOf("unsubscribed");
        for (String text : texts.subList(reply, texts.size())) {
            assertFalse(text.startsWith("quote-0-"), "a quote after unsubscribed: " + texts);
        }
        assertTrue(texts.subList(reply, texts.size()).stream().anyMatch(t -> t.startsWith("quote-1-")),
                "the other symbol goes on: " + texts);
    }

    @Test
    void aSubscriptionStartsWithItsSnapshotBeforeAnyLiveQuote() {
        tick(0);
        subscribe(0, snapshotOf(0));
        tick(0);
        sink.completeAll();
        assertEquals(List.of("subscribed", "snapshot-1", "quote-0-2"), sink.texts());
    }

    @Test
    void aClientThatAsksForRepliesAndNeverReadsIsClosedOnceTheyPassTheBudget() {
        subscribe(0, snapshotOf(0)); // its write never completes
        String history = "h".repeat(74_000);
        int asked = 0;
        while (sink.closeCode == null && asked < 100) {
            subscriber.send(history);
            asked++;
            assertTrue(subscriber.charsWaiting() <= BUDGET + history.length(), "held " + subscriber.charsWaiting());
        }
        assertEquals(CloseCode.POLICY, sink.closeCode);
        assertTrue(asked >= BUDGET / history.length(), "closed after " + asked + " replies, before the budget was used");
        assertEquals(0, subscriber.framesWaiting(), "a closed outbox holds nothing");
    }

    @Test
    void repliesAreNotCountedTwiceOnceSent() {
        subscribe(0, snapshotOf(0));
        String history = "h".repeat(74_000);
        for (int i = 0; i < 200; i++) {
            subscriber.send(history);
            sink.completeAll();
        }
        assertNull(sink.closeCode, "a client that reads its replies is never closed");
        assertEquals(0, subscriber.charsWaiting());
    }

    @Test
    void aPacedSymbolsParkedQuoteIsReleasedByTheTimerAsTheSymbolsNewest() {
        long interval = 100_000_000L;
        subscriber.activate(new int[] {0}, new int[] {0}, interval, "subscribed",
                (s, budget) -> new SubscriptionStart(seqs[s], new Frame[0]));
        sink.completeAll();
        tick(0); // within the interval of the subscription's start: parked
        tick(0); // replaces the parked one
        sink.completeAll();
        assertEquals(List.of("subscribed"), sink.texts());

        timer.advance(interval);
        sink.completeAll();
        assertEquals(List.of("subscribed", "quote-0-2"), sink.texts());
        assertEquals(1, subscriber.quotesConflated());
    }

    private void subscribeAll() {
        for (int symbol = 0; symbol < SYMBOLS; symbol++) {
            subscriber.activate(new int[] {symbol}, new int[] {symbol}, 0, "subscribed",
                    (s, budget) -> new SubscriptionStart(seqs[s], new Frame[0]));
        }
        sink.completeAll();
        sink.sent.clear();
    }

    private void subscribe(int symbol, Frame snapshot) {
        subscriber.activate(new int[] {symbol}, new int[] {symbol}, 0, "subscribed",
                (s, budget) -> new SubscriptionStart(snapshot.seq() - 1, new Frame[] {snapshot}));
    }

    private Frame snapshotOf(int symbol) {
        if (seqs[symbol] == 0) {
            tickQuietly(symbol);
        }
        return new Frame("snapshot-" + seqs[symbol], symbol, seqs[symbol]);
    }

    /** A tick of the feed: into the log, and into this outbox as the hub would hand it. */
    private void tick(int symbol) {
        Frame frame = tickQuietly(symbol);
        // With no flush window, an outbox that must be drained is drained at once.
        if (subscriber.accept(frame, timer.nanoTime(), NO_WINDOW) != Wake.NONE) {
            subscriber.drain();
        }
    }

    private Frame tickQuietly(int symbol) {
        long seq = ++seqs[symbol];
        return log.append("quote-" + symbol + "-" + seq, symbol, seq);
    }
}
