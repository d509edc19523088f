package io.quotecast.stream;

import io.quotecast.market.Quote;
import io.quotecast.market.Symbol;
import io.quotecast.market.SymbolCatalog;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The fan-out on threads and a clock the test drives: gathering per feed batch and window, the stuck-client sweep,
 * one client's stall against another's stream, and the registry when a connection goes while it
 * subscribes. No server, no socket, no sleep.
 */
class QuoteHubTest {

    static final Duration WINDOW = Duration.ofMillis(30);
    static final Duration STUCK = Duration.ofMillis(1_000);
    static final int ACME = 0;
    static final int GLOBX = 1;

    final ManualTimer timer = new ManualTimer();
    final ManualExecutor senders = new ManualExecutor();
    final long[] seqs = new long[2];
    /** Runs inside the next snapshot's encoding, which happens while a subscribe is under way. */
    Runnable duringSnapshot;
    final QuoteFormat format = new QuoteFormat() {
        @Override
        public String live(Quote quote) {
            return "quote-" + quote.symbol() + "-" + quote.seq();
        }

        @Override
        public String snapshot(Quote quote, boolean gap, boolean stale) {
            if (duringSnapshot != null) {
                duringSnapshot.run();
            }
            return "snapshot-" + quote.symbol() + "-" + quote.seq();
        }
    };
    final SymbolCatalog catalog = new SymbolCatalog(List.of(symbol("ACME"), symbol("GLOBX")));

    QuoteHub hub = hub(WINDOW);

    @Test
    void aClientWrittenToLessThanAWindowAgoGetsTheRestOfThatWindowsQuotesInOneWriteAtItsEnd() {
        HeldSink sink = new HeldSink();
        subscribeAndRead(sink); // its last write started now
        timer.advanceMillis(1);
        tick(ACME);
        timer.advanceMillis(10);
        tick(ACME);
        senders.runAll();
        assertEquals(List.of("subscribed"), sink.texts(), "held for the rest of the window");

        timer.advanceMillis(18); // 29 ms after the last write started
        tick(GLOBX);
        senders.runAll();
        assertEquals(List.of("subscribed"), sink.texts());

        timer.advanceMillis(1); // a window after it
        tick(GLOBX);
        senders.runAll();
        assertEquals(List.of("subscribed", "quote-ACME-1", "quote-ACME-2"), sink.texts());
        assertEquals(List.of(1, 2), sink.writes, "the window's two quotes in one write");
    }

    @Test
    void aClientWhoseQuotesComeOneAtATimeGetsEachAtTheEndOfItsBatch() {
        HeldSink sink = new HeldSink();
        subscribeAndRead(sink);
        for (int i = 1; i <= 3; i++) {
            timer.advanceMillis(WINDOW.toMillis());
            hub.onQuote(quote(ACME));
            senders.runAll();
            assertEquals(i, sink.texts().size(), "not before the batch is over");

            hub.onBatchEnd();
            senders.runAll();
            assertEquals("quote-ACME-" + i, sink.texts().get(i), "at the end of its batch, not a window later");
            sink.completeAll();
        }
    }

    @Test
    void whereEveryWriteCostsMostAQuoteWaitsAWholeWindowForOthersEvenLongAfterTheLastWrite() {
        HeldSink sink = new HeldSink();
        sink.gathersEveryQuote = true;
        subscribeAndRead(sink);
        timer.advanceMillis(5 * WINDOW.toMillis());
        tick(ACME);
        timer.advanceMillis(WINDOW.toMillis() - 1);
        tick(ACME);
        senders.runAll();
        assertEquals(List.of("subscribed"), sink.texts(), "held for a window from the first quote");

        timer.advanceMillis(1);
        hub.onBatchEnd();
        senders.runAll();
        assertEquals(List.of("subscribed", "quote-ACME-1", "quote-ACME-2"), sink.texts());
        assertEquals(List.of(1, 2), sink.writes, "both in one write, a window after the first");
    }

    @Test
    void aQuoteThatArrivesLateInAWindowWaitsOnlyForTheRestOfIt() {
        HeldSink sink = new HeldSink();
        subscribeAndRead(sink);
        timer.advanceMillis(WINDOW.toMillis() - 2);
        tick(ACME);
        senders.runAll();
        assertEquals(List.of("subscribed"), sink.texts());

        timer.advanceMillis(2);
        hub.onBatchEnd();
        senders.runAll();
        assertEquals(List.of("subscribed", "quote-ACME-1"), sink.texts(), "2 ms later, not a whole window");
    }

    @Test
    void aClientWithAWriteInFlightGetsWhatArrivedMeanwhileInOneWriteAsSoonAsItCompletes() {
        HeldSink sink = new HeldSink();
        subscribeAndRead(sink);
        timer.advanceMillis(WINDOW.toMillis());
        tick(ACME);
        senders.runAll();
        assertEquals(List.of("subscribed", "quote-ACME-1"), sink.texts(), "written at once, still in flight");
        timer.advanceMillis(1);
        tick(ACME);
        tick(GLOBX);
        tick(ACME);
        senders.runAll();
        assertEquals(List.of(1, 1), sink.writes, "nothing more while the write is in flight");

        sink.completeAll();
        senders.runAll();
        assertEquals(List.of(1, 1, 2), sink.writes, "what waited goes out together at the completion, not a window later");
    }

    @Test
    void withoutAWindowEveryTickGoesOutAtTheEndOfItsBatch() {
        hub = hub(Duration.ZERO);
        HeldSink sink = new HeldSink();
        subscribeAndRead(sink);
        tick(ACME);
        senders.runAll();
        assertEquals(List.of("subscribed", "quote-ACME-1"), sink.texts());
    }

    @Test
    void aFeedThatStopsBeforeItsBatchEndStillHasItsQuotesWrittenByTheTimer() {
        HeldSink sink = new HeldSink();
        subscribeAndRead(sink);
        timer.advanceMillis(1);
        hub.onQuote(quote(ACME));
        senders.runAll();
        assertEquals(List.of("subscribed"), sink.texts());

        timer.advanceMillis(WINDOW.toMillis() + 5);
        senders.runAll();
        assertEquals(List.of("subscribed", "quote-ACME-1"), sink.texts());
    }

    @Test
    void aRunningFeedWritesWhatJustFellDueItselfAndTheTimerOnlyWhatIsOverdue() {
        HeldSink early = new HeldSink();
        HeldSink late = new HeldSink();
        subscribeAndRead(early);
        timer.advanceMillis(1);
        hub.onQuote(quote(ACME)); // due a window after early's last write; the timer is armed for 5 ms after that
        timer.advanceMillis(5);
        subscribeAndRead(late, GLOBX);
        hub.onQuote(quote(GLOBX)); // due a window after late's last write: just as the timer runs

        timer.advanceMillis(WINDOW.toMillis());
        senders.runAll();
        assertEquals(List.of("subscribed", "quote-ACME-1"), early.texts(), "overdue by the backstop's margin");
        assertEquals(List.of("subscribed"), late.texts(), "just due: left to the feed's batch end");

        hub.onBatchEnd();
        senders.runAll();
        assertEquals(List.of("subscribed", "quote-GLOBX-1"), late.texts());
    }

    @Test
    void aTransportThatStartsWritesOnAnyThreadIsWrittenToByTheFeedAtItsBatchEnd() {
        HeldSink sink = new HeldSink();
        sink.startsWritesAnywhere = true;
        subscribeAndRead(sink);
        timer.advanceMillis(10 * WINDOW.toMillis());

        hub.onQuote(quote(ACME));
        assertEquals(List.of("subscribed"), sink.texts(), "not before the batch is over");
        hub.onBatchEnd();
        assertEquals(List.of("subscribed", "quote-ACME-1"), sink.texts(), "written on the feed's thread");
        assertEquals(0, senders.pending(), "no hand-off to a sender thread");
    }

    @Test
    void aTransportThatWritesOneFrameAtATimeGetsEachTickAtOnce() {
        HeldSink sink = new HeldSink(false);
        subscribeAndRead(sink);
        timer.advanceMillis(1);
        hub.onQuote(quote(ACME));
        senders.runAll();
        assertEquals(List.of("subscribed", "quote-ACME-1"), sink.texts());
    }

    @Test
    void aClientWithAWriteInFlightPastTheStuckTimeoutIsClosedWith1008AndForgotten() {
        HeldSink stuck = new HeldSink();
        Subscriber subscriber = hub.connect(stuck);
        hub.subscribe(subscriber, new int[] {ACME}, "subscribed");
        senders.runAll(); // the reply's write never completes

        timer.advanceMillis(STUCK.toMillis());
        senders.runAll();
        assertNull(stuck.closeCode, "in flight for the timeout exactly: not yet");

        timer.advanceMillis(STUCK.toMillis() / 4); // the next sweep
        senders.runAll();
        assertEquals(CloseCode.POLICY, stuck.closeCode);
        assertEquals(0, hub.registry().connectionCount());
        assertEquals(0, hub.registry().subscriberCount(ACME));
    }

    @Test
    void aClientThatStopsReadingDoesNotHoldUpOneThatReads() {
        hub = hub(Duration.ZERO);
        HeldSink stalled = new HeldSink();
        hub.subscribe(hub.connect(stalled), new int[] {ACME}, "subscribed");
        HeldSink reader = new HeldSink();
        subscribeAndRead(reader);
        for (int i = 0; i < 100; i++) {
            tick(ACME);
            senders.runAll();
            reader.completeAll();
            senders.runAll();
        }
        assertEquals(100, reader.quotes().size(), "every tick reached the reader");
        assertEquals(List.of("subscribed"), stalled.texts(), "the stalled client's first write is still in flight");
    }

    @Test
    void aSubscribeThatComesAfterTheConnectionWasForgottenLeavesNothingInTheRegistry() {
        Subscriber subscriber = hub.connect(new HeldSink());
        hub.disconnect(subscriber);
        hub.subscribe(subscriber, new int[] {ACME}, "subscribed");
        assertEquals(0, hub.registry().subscriberCount(ACME));
        assertFalse(hub.registry().connections().contains(subscriber));
    }

    @Test
    void aDisconnectWhileASubscribeIsUnderWayLeavesNothingInTheRegistry() {
        tick(ACME); // so that the subscribe encodes a snapshot
        Subscriber subscriber = hub.connect(new HeldSink());
        duringSnapshot = () -> hub.disconnect(subscriber);
        hub.subscribe(subscriber, new int[] {ACME}, "subscribed");
        assertEquals(0, hub.registry().subscriberCount(ACME));
    }

    @Test
    void aSubscribeGetsTheSymbolsSnapshotBeforeItsLiveQuotes() {
        hub = hub(Duration.ZERO);
        tick(ACME);
        HeldSink sink = new HeldSink();
        subscribeAndRead(sink);
        tick(ACME);
        senders.runAll();
        assertEquals(List.of("subscribed", "snapshot-ACME-1", "quote-ACME-2"), sink.texts());
    }

    private QuoteHub hub(Duration window) {
        return new QuoteHub(catalog, format, 10, STUCK, window, 1 << 20, new HubThreads(senders, 2, timer, () -> { }));
    }

    /** Subscribes to ACME and reads what that sends, so that the client was last written to now. */
    private void subscribeAndRead(HeldSink sink) {
        subscribeAndRead(sink, ACME);
    }

    /** Subscribes to {@code symbol} and reads what that sends, so that the client was last written to now. */
    private void subscribeAndRead(HeldSink sink, int symbol) {
        hub.subscribe(hub.connect(sink), new int[] {symbol}, "subscribed");
        senders.runAll();
        while (!sink.inFlight.isEmpty()) {
            sink.completeAll();
            senders.runAll();
        }
    }

    /** A feed's batch of one tick: the tick, then the batch's end. */
    private void tick(int symbol) {
        hub.onQuote(quote(symbol));
        hub.onBatchEnd();
    }

    private Quote quote(int symbol) {
        long seq = ++seqs[symbol];
        String ticker = catalog.get(symbol).ticker();
        BigDecimal price = BigDecimal.TEN;
        return new Quote(ticker, price, price, price, price, price, price, price, BigDecimal.ZERO,
                BigDecimal.ZERO, 0, seq, seq);
    }

    private static Symbol symbol(String ticker) {
        return new Symbol(ticker, ticker, "USD", BigDecimal.TEN, new BigDecimal("0.01"));
    }
}
