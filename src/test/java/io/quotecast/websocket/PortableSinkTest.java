package io.quotecast.websocket;

import io.quotecast.stream.CloseCode;
import io.quotecast.stream.Frame;
import io.quotecast.stream.WireFormat;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The portable write path keeps the Jakarta WebSocket rule that strict containers (Open Liberty)
 * enforce: one operation in flight per session, the next started from the last one's completion.
 * Driven on a session whose remote holds each send until the test completes it, and fails the
 * test the moment a second operation starts while one is in flight.
 */
class PortableSinkTest {

    private final StrictRemote remote = new StrictRemote();
    /** Pings wait here until the test runs them: the sink never pings on its caller's thread. */
    private final java.util.ArrayDeque<Runnable> pingQueue = new java.util.ArrayDeque<>();
    private final java.util.concurrent.Executor pings = pingQueue::add;

    private void runPings() {
        while (!pingQueue.isEmpty()) {
            pingQueue.removeFirst().run();
        }
    }
    /** Flushers of batched writes wait here until the test runs them. */
    private final ArrayDeque<Runnable> flushQueue = new ArrayDeque<>();
    private long nowNanos;
    /** The flushers' watcher pauses on the test's clock; it stops after a pause once told to. */
    private boolean stopWatching;
    private final java.util.function.LongConsumer pause = nanos -> {
        nowNanos += nanos;
        if (stopWatching) {
            Thread.currentThread().interrupt();
        }
    };
    private final BatchFlushes flushes = new BatchFlushes(flushQueue::add, 1, () -> nowNanos, pause, 50, 1_000);
    private final PortableSink sink = new PortableSink(remote.session(), 8_000, pings, flushes);

    private void runFlushes() {
        while (!flushQueue.isEmpty()) {
            flushQueue.removeFirst().run();
        }
    }

    @Test
    void framesWrittenTogetherAreSentOneAfterAnotherEachFromTheLastOnesCompletion() {
        Outcome outcome = new Outcome();
        sink.send(new Frame[] {frame("a"), frame("b"), frame("c")}, 3, outcome);
        assertEquals(List.of("text a"), remote.log);
        remote.complete();
        assertEquals(List.of("text a", "text b"), remote.log);
        remote.complete();
        remote.complete();
        assertEquals(List.of("text a", "text b", "text c"), remote.log);
        assertTrue(outcome.done);
        assertNull(outcome.failure);
    }

    @Test
    void aPingDuringASendWaitsForItAndGoesBeforeTheNextSend() {
        Outcome first = new Outcome();
        sink.send("one", first);
        sink.ping();
        assertEquals(List.of("text one"), remote.log, "no ping while a send is in flight");
        remote.complete();
        sink.send("two", new Outcome());
        assertEquals(List.of("text one"), remote.log, "the next send waits for the ping");
        runPings();
        assertEquals(List.of("text one", "ping", "text two"), remote.log);
    }

    /** Open Liberty's ping waits, with no bound, for a write permit a closed connection never gives back. */
    @Test
    void aClosedSessionGetsNoPing() {
        remote.open = false;
        sink.ping();
        runPings();
        assertEquals(List.of(), remote.log);
    }

    /** The API's ping waits until written: not on the keepalive timer, not inside a send's completion (Jetty then waits for itself). */
    @Test
    void aPingGoesOnThePingExecutorNeverOnTheCallersThread() {
        sink.ping();
        assertEquals(List.of(), remote.log);
        runPings();
        assertEquals(List.of("ping"), remote.log);
        sink.send("after", new Outcome());
        assertEquals(List.of("ping", "text after"), remote.log);
    }

    @Test
    void theCloseFrameWaitsForTheSendInFlightAndNothingIsSentAfterIt() {
        Outcome inFlight = new Outcome();
        sink.send("last", inFlight);
        sink.close(CloseCode.POLICY, "stuck");
        assertEquals(List.of("text last"), remote.log, "no close while a send is in flight");
        remote.complete();
        runPings();
        assertEquals(List.of("text last", "close 1008 stuck"), remote.log);
        assertNull(inFlight.failure, "the send in flight itself succeeded");
        Outcome late = new Outcome();
        sink.send("too late", late);
        sink.ping();
        assertEquals(List.of("text last", "close 1008 stuck"), remote.log);
        assertInstanceOf(IllegalStateException.class, late.failure);
    }

    @Test
    void aFailedSendEndsTheWriteWithItsFailureAndSendsNoMoreOfIt() {
        Outcome outcome = new Outcome();
        sink.send(new Frame[] {frame("a"), frame("b")}, 2, outcome);
        IOException broken = new IOException("broken pipe");
        remote.fail(broken);
        assertEquals(List.of("text a"), remote.log);
        assertEquals(broken, outcome.failure);
    }

    @Test
    void aContainerThatCompletesSendsAtOnceGetsTheNextOnlyAfterTheCompletion() {
        remote.completeAtOnce = true;
        Outcome outcome = new Outcome();
        sink.send(new Frame[] {frame("a"), frame("b")}, 2, outcome);
        sink.ping();
        sink.close(CloseCode.GOING_AWAY, "bye");
        runPings();
        assertEquals(List.of("text a", "text b", "ping", "close 1001 bye"), remote.log);
        assertTrue(outcome.done);
    }

    /** Later than the hub's 1008 for a stuck client, which waits for the send in flight: that close is the one it gets. */
    @Test
    void theContainersSendTimeoutIsHalfAsLongAgainAsTheStuckClientTimeout() {
        assertEquals(12_000, remote.sendTimeout);
    }

    /** Tomcat bounds a blocking write, the batch's flush, by this documented session property (20 s if unset). */
    @Test
    void theBlockingSendTimeoutIsTheContainersSendTimeoutToo() {
        assertEquals(12_000L, remote.userProperties.get("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT"));
    }

    @Test
    void framesWrittenTogetherAreBatchedThenFlushedOnTheFlushExecutorWhereTheContainerBatches() {
        remote.batches = true;
        remote.completeAtOnce = true;
        Outcome outcome = new Outcome();
        sink.send(new Frame[] {frame("a"), frame("b"), frame("c")}, 3, outcome);
        assertEquals(List.of("batching on", "text a", "text b", "text c"), remote.log);
        assertFalse(outcome.done, "done only once flushed");
        runFlushes();
        assertEquals(List.of("batching on", "text a", "text b", "text c", "flush, batching off"), remote.log);
        assertTrue(outcome.done);
        assertNull(outcome.failure);
    }

    /** Undertow completes a batched send only once flushed: waiting for it before flushing would wait forever. */
    @Test
    void aBatchedSendThatCompletesOnlyOnceFlushedIsFlushedAndTheSessionNoLongerBatches() {
        remote.batches = true;
        remote.completesOnFlush = true;
        Outcome outcome = new Outcome();
        sink.send(new Frame[] {frame("a"), frame("b")}, 2, outcome);
        assertEquals(List.of("batching on", "text a"), remote.log);
        runFlushes();
        assertEquals(List.of("batching on", "text a", "flush, batching off", "text b"), remote.log);
        remote.complete();
        assertTrue(outcome.done);
        assertNull(outcome.failure);
        sink.send(new Frame[] {frame("c"), frame("d")}, 2, new Outcome());
        assertEquals("text c", remote.log.get(remote.log.size() - 1), "no batching any more");
    }

    /**
     * Tomcat, writing a full batch buffer, completes a batched send later. The batch is ended on a
     * flusher meanwhile, and the next write (a long history reply, say) must not start before that
     * end: Tomcat would take its first part into the batch and the end would cut it in two.
     */
    @Test
    void aBatchedSendCompletedLaterEndsItsWriteOnlyOnceTheBatchHasEnded() {
        remote.batches = true;
        Outcome outcome = new Outcome();
        sink.send(new Frame[] {frame("a"), frame("b")}, 2, outcome);
        assertEquals(List.of("batching on", "text a"), remote.log);
        remote.complete();
        remote.complete();
        assertEquals(List.of("batching on", "text a", "text b"), remote.log);
        assertFalse(outcome.done, "not while the container may still batch");
        Outcome next = new Outcome();
        sink.send("history", next);
        assertEquals(3, remote.log.size(), "the next write waits too");

        runFlushes();
        assertTrue(outcome.done);
        assertNull(outcome.failure);
        assertEquals(List.of("batching on", "text a", "text b", "flush, batching off", "text history"), remote.log);
    }

    /** Tomcat sends a long message in parts, each choosing anew whether to use its batch buffer. */
    @Test
    void framesWrittenTogetherWithOneTooLongForOneContainerPartAreSentUnbatched() {
        remote.batches = true;
        remote.completeAtOnce = true;
        String history = "h".repeat(PortableWrite.MOST_CHARS_BATCHED + 1);
        Outcome outcome = new Outcome();
        sink.send(new Frame[] {frame("a"), frame(history), frame("c")}, 3, outcome);
        assertEquals(List.of("text a", "text " + history, "text c"), remote.log);
        assertTrue(outcome.done);
        assertTrue(flushQueue.isEmpty(), "nothing to flush");
    }

    /** Replies and errors come between long replies (a history): they go frame by frame, never batched. */
    @Test
    void repliesAndErrorsAreNeverBatched() {
        remote.batches = true;
        remote.completeAtOnce = true;
        Outcome outcome = new Outcome();
        sink.send(new Frame[] {Frame.control("error one"), Frame.control("error two")}, 2, outcome);
        assertEquals(List.of("text error one", "text error two"), remote.log);
        assertTrue(outcome.done);
        assertTrue(flushQueue.isEmpty(), "nothing to flush");
    }

    @Test
    void aSingleFrameIsNeverBatched() {
        remote.batches = true;
        remote.completeAtOnce = true;
        Outcome outcome = new Outcome();
        sink.send("one", outcome);
        assertEquals(List.of("text one"), remote.log);
        assertTrue(outcome.done);
        assertTrue(flushQueue.isEmpty());
    }

    @Test
    void aPingAndTheCloseWaitForTheFlushAndGoAfterIt() {
        remote.batches = true;
        remote.completeAtOnce = true;
        sink.send(new Frame[] {frame("a"), frame("b")}, 2, new Outcome());
        sink.ping();
        sink.close(CloseCode.GOING_AWAY, "bye");
        runPings();
        assertEquals(List.of("batching on", "text a", "text b"), remote.log);
        runFlushes();
        runPings();
        assertEquals(List.of("batching on", "text a", "text b", "flush, batching off", "close 1001 bye"), remote.log);
    }

    /** A wake-up per flush cost as much as the write itself: one flusher takes every flush queued. */
    @Test
    void oneFlusherFlushesTheWritesOfManySessions() {
        StrictRemote other = new StrictRemote();
        remote.batches = other.batches = true;
        remote.completeAtOnce = other.completeAtOnce = true;
        PortableSink otherSink = new PortableSink(other.session(), 8_000, pings, flushes);
        Outcome first = new Outcome();
        Outcome second = new Outcome();
        sink.send(new Frame[] {frame("a"), frame("b")}, 2, first);
        otherSink.send(new Frame[] {frame("c"), frame("d")}, 2, second);
        assertEquals(2, flushQueue.size(), "one flusher started, and its watcher");
        flushQueue.removeFirst().run();
        assertEquals("flush, batching off", remote.log.get(remote.log.size() - 1));
        assertEquals("flush, batching off", other.log.get(other.log.size() - 1));
        assertTrue(first.done && second.done);
    }

    /** The clients behind a flush that waits on a client that stopped reading are flushed by another flusher. */
    @Test
    void whileAFlushWaitsOnItsClientTheWatcherStartsAnotherFlusherForTheRest() {
        BatchFlushes two = new BatchFlushes(flushQueue::add, 2, () -> nowNanos, pause, 50, 1_000);
        StrictRemote behind = new StrictRemote();
        remote.batches = behind.batches = true;
        remote.completeAtOnce = behind.completeAtOnce = true;
        PortableSink stuckSink = new PortableSink(remote.session(), 8_000, pings, two);
        PortableSink behindSink = new PortableSink(behind.session(), 8_000, pings, two);
        Outcome stuck = new Outcome();
        Outcome flushed = new Outcome();
        stuckSink.send(new Frame[] {frame("a"), frame("b")}, 2, stuck);
        behindSink.send(new Frame[] {frame("c"), frame("d")}, 2, flushed);
        Runnable firstFlusher = flushQueue.removeFirst();
        Runnable watcher = flushQueue.removeFirst();
        remote.onFlush = () -> { // the first flusher is inside the stuck client's flush
            remote.onFlush = () -> { };
            stopWatching = true;
            watcher.run(); // its pause lets 50 ms pass without progress
            Thread.interrupted();
            assertEquals(1, flushQueue.size(), "a second flusher started");
            flushQueue.removeFirst().run();
            assertTrue(flushed.done, "the client behind was flushed meanwhile");
            assertFalse(stuck.done);
        };
        firstFlusher.run();
        assertEquals("flush, batching off", behind.log.get(behind.log.size() - 1));
        assertTrue(stuck.done);
    }

    /** A flush to a client that stopped reading holds its flusher; writes then go unbatched, which never waits. */
    @Test
    void whileEveryFlusherIsStalledWritesAreSentUnbatched() {
        StrictRemote other = new StrictRemote();
        remote.batches = other.batches = true;
        remote.completeAtOnce = other.completeAtOnce = true;
        PortableSink otherSink = new PortableSink(other.session(), 8_000, pings, flushes);
        sink.send(new Frame[] {frame("a"), frame("b")}, 2, new Outcome());
        nowNanos += 51_000_000L; // its flush has waited longer than any flush to a reading client takes
        Outcome unbatched = new Outcome();
        otherSink.send(new Frame[] {frame("c"), frame("d")}, 2, unbatched);
        assertEquals(List.of("text c", "text d"), other.log);
        assertTrue(unbatched.done);
        runFlushes();
        otherSink.send(new Frame[] {frame("e"), frame("f")}, 2, new Outcome());
        assertEquals(List.of("text c", "text d", "batching on", "text e", "text f"), other.log, "the flusher is free again");
    }

    @Test
    void aClientWhoseFlushTookTooLongIsNeverBatchedAgain() {
        remote.batches = true;
        remote.completeAtOnce = true;
        sink.send(new Frame[] {frame("a"), frame("b")}, 2, new Outcome());
        remote.onFlush = () -> nowNanos += 1_001_000_000L;
        runFlushes();
        remote.log.clear();
        sink.send(new Frame[] {frame("c"), frame("d")}, 2, new Outcome());
        assertEquals(List.of("text c", "text d"), remote.log);
        assertTrue(flushQueue.isEmpty());
    }

    /** Batching is optional: Open Liberty's stays off whatever it is told, and the frames go one by one. */
    @Test
    void aContainerThatDoesNotBatchGetsTheFramesOneByOneAndThePermitBack() {
        remote.completeAtOnce = true;
        sink.send(new Frame[] {frame("a"), frame("b")}, 2, new Outcome());
        assertEquals(List.of("text a", "text b"), remote.log);
        assertTrue(flushQueue.isEmpty(), "nothing to flush");
    }

    /** Each frame is a system call of its own there: waiting a window for more would only add latency. */
    @Test
    void quotesWaitOutTheWindowOnlyWhileTheContainerMayBatch() {
        remote.completeAtOnce = true;
        assertTrue(sink.gathersEveryQuote(), "not known yet");
        sink.send(new Frame[] {frame("a"), frame("b")}, 2, new Outcome());
        assertFalse(sink.gathersEveryQuote(), "the container was seen not to batch");
    }

    @Test
    void aFailedFlushEndsTheWriteWithItsFailure() {
        remote.batches = true;
        remote.completeAtOnce = true;
        IOException reset = new IOException("connection reset");
        remote.flushFailure = reset;
        Outcome outcome = new Outcome();
        sink.send(new Frame[] {frame("a"), frame("b")}, 2, outcome);
        runFlushes();
        assertEquals(reset, outcome.failure);
    }

    /** Open Liberty does not batch, and hands each async send over twice: the blocking API on a flusher instead. */
    @Test
    void whereTheContainerDoesNotBatchAWritesFramesGoThroughTheBlockingApiOnAFlusher() {
        sink.choice.blockingWhereUnbatched = true;
        Outcome outcome = new Outcome();
        sink.send(new Frame[] {frame("a"), frame("b"), frame("c")}, 3, outcome);
        assertEquals(List.of(), remote.log, "not on the caller's thread");
        runFlushes();
        assertEquals(List.of("blocking text a", "blocking text b", "blocking text c"), remote.log);
        assertTrue(outcome.done);
        assertNull(outcome.failure);
    }

    /** A container's frame writer as the tests drive it: each write waits until the test completes it. */
    private static final class FakeFrameWriter implements ContainerFrameWriter {
        final List<byte[]> writes = new ArrayList<>();
        final ArrayDeque<Consumer<Throwable>> inFlight = new ArrayDeque<>();

        @Override
        public void write(byte[] wire, Consumer<Throwable> done) {
            writes.add(wire);
            inFlight.add(done);
        }

        void complete() {
            inFlight.removeFirst().accept(null);
        }
    }

    private final FakeFrameWriter writer = new FakeFrameWriter();
    private final PortableSink framed = new PortableSink(remote.session(), 8_000, pings, flushes, "liberty",
            (session, timeout) -> writer);

    /** Open Liberty's link, below the API: a write's frames, framed already, in one write started on a flusher. */
    @Test
    void withTheContainersFrameWriterAWritesFramesGoInOneWriteStartedOnAFlusher() {
        Outcome outcome = new Outcome();
        framed.send(new Frame[] {frame("a"), frame("b"), frame("c")}, 3, outcome);
        assertEquals(List.of(), writer.writes, "not on the caller's thread");
        runFlushes();
        assertEquals(1, writer.writes.size());
        assertArrayEquals(Frame.joinWire(new Frame[] {frame("a"), frame("b"), frame("c")}, 3), writer.writes.get(0));
        assertEquals(List.of(), remote.log, "nothing through the API");
        assertFalse(outcome.done, "not before the container says it is written");
        writer.complete();
        assertTrue(outcome.done);
        assertNull(outcome.failure);
        assertEquals("liberty", framed.writePath());
    }

    @Test
    void withTheContainersFrameWriterAReplyIsFramedAndWrittenTheSameWay() {
        framed.send("{\"type\":\"subscribed\"}", new Outcome());
        runFlushes();
        assertArrayEquals(WireFormat.textFrame("{\"type\":\"subscribed\"}"), writer.writes.get(0));
    }

    /** Where starting the write cannot wait, it starts on the thread that hands it over: no flusher's wake-up. */
    @Test
    void aFramedWriteThatCanStartAtOnceStartsOnTheCallersThread() {
        List<byte[]> started = new ArrayList<>();
        PortableSink direct = new PortableSink(remote.session(), 8_000, pings, flushes, "liberty",
                (session, timeout) -> new ContainerFrameWriter() {
                    @Override
                    public void write(byte[] wire, Consumer<Throwable> done) {
                        throw new AssertionError("not through a flusher");
                    }

                    @Override
                    public boolean tryWrite(byte[] wire, Consumer<Throwable> done) {
                        started.add(wire);
                        done.accept(null);
                        return true;
                    }
                });
        Outcome outcome = new Outcome();
        direct.send(new Frame[] {frame("a"), frame("b")}, 2, outcome);
        assertEquals(1, started.size());
        assertTrue(flushQueue.isEmpty(), "no flusher woken");
        assertTrue(outcome.done);
        assertNull(outcome.failure);
    }

    /** The flusher only starts the write: a client that reads nothing holds no flusher, and the next session's write goes. */
    @Test
    void aFramedWriteThatTheClientDoesNotTakeHoldsNoFlusher() {
        framed.send("stuck", new Outcome());
        FakeFrameWriter otherWriter = new FakeFrameWriter();
        PortableSink other = new PortableSink(remote.session(), 8_000, pings, flushes, "liberty", (session, timeout) -> otherWriter);
        Outcome otherOutcome = new Outcome();
        other.send("moving", otherOutcome);
        runFlushes();
        assertEquals(1, otherWriter.writes.size(), "the other session's write started");
        otherWriter.complete();
        assertTrue(otherOutcome.done);
    }

    /** One operation in flight: the next write, a ping and the close wait for the container's completion. */
    @Test
    void aPingAndTheCloseWaitForTheFramedWriteInFlight() {
        framed.send("first", new Outcome());
        runFlushes();
        framed.ping();
        framed.send("second", new Outcome());
        framed.close(CloseCode.POLICY, "stuck");
        runFlushes();
        assertEquals(List.of(), remote.log, "nothing while the write is in flight");
        assertEquals(1, writer.writes.size());
        writer.complete();
        runPings();
        runFlushes();
        assertEquals(List.of("close 1008 stuck"), remote.log, "the close goes next, and nothing after it");
        assertEquals(1, writer.writes.size());
    }

    /** A write there costs a flusher's wake-up and a system call, whatever it carries: quotes wait out the window. */
    @Test
    void withTheContainersFrameWriterQuotesWaitOutTheWindow() {
        assertTrue(framed.gathersEveryQuote());
    }

    @Test
    void aFailedFramedWriteEndsTheWriteWithItsFailure() {
        IOException closing = new IOException("the connection is closing");
        PortableSink failing = new PortableSink(remote.session(), 8_000, pings, flushes, "liberty",
                (session, timeout) -> (wire, done) -> done.accept(closing));
        Outcome outcome = new Outcome();
        failing.send(new Frame[] {frame("a"), frame("b")}, 2, outcome);
        runFlushes();
        assertEquals(closing, outcome.failure);
    }

    /** The writer is told the container's send timeout, so that a write to a client that stopped reading ends. */
    @Test
    void theFrameWriterIsGivenTheContainersSendTimeout() {
        long[] given = new long[1];
        new PortableSink(remote.session(), 8_000, pings, flushes, "liberty", (session, timeout) -> {
            given[0] = timeout;
            return writer;
        });
        assertEquals(PortableSink.containerTimeout(8_000), given[0]);
    }

    /** Where the container's internals are not reachable for a session, it is a plain portable sink. */
    @Test
    void withoutTheContainersFrameWriterTheSinkIsThePortableOne() {
        PortableSink framed = new PortableSink(remote.session(), 8_000, pings, flushes, "liberty", (session, timeout) -> null);
        assertTrue(framed.lacksFramedWriter());
    }

    /** Only a write of several frames asks the container whether it batches; until then, async. */
    @Test
    void aSingleFrameGoesAsyncUntilTheContainerWasSeenNotToBatch() {
        sink.choice.blockingWhereUnbatched = true;
        remote.completeAtOnce = true;
        sink.send("one", new Outcome());
        assertEquals(List.of("text one"), remote.log);
        sink.send(new Frame[] {frame("a"), frame("b")}, 2, new Outcome());
        runFlushes();
        sink.send("two", new Outcome());
        runFlushes();
        assertEquals(List.of("text one", "blocking text a", "blocking text b", "blocking text two"), remote.log);
    }

    @Test
    void whereTheContainerBatchesAnUnbatchedWriteStillGoesAsync() {
        sink.choice.blockingWhereUnbatched = true;
        remote.batches = true;
        remote.completeAtOnce = true;
        sink.send(new Frame[] {frame("a"), frame("b")}, 2, new Outcome());
        runFlushes();
        remote.log.clear();
        sink.send("one", new Outcome());
        assertEquals(List.of("text one"), remote.log, "nothing asks the container again");
    }

    @Test
    void aFailedBlockingSendEndsTheWriteWithItsFailureAndSendsNoMoreOfIt() {
        sink.choice.blockingWhereUnbatched = true;
        IOException broken = new IOException("broken pipe");
        remote.onBlockingSend = () -> {
            throw new java.io.UncheckedIOException(broken);
        };
        Outcome outcome = new Outcome();
        sink.send(new Frame[] {frame("a"), frame("b")}, 2, outcome);
        runFlushes();
        assertEquals(List.of("blocking text a"), remote.log);
        assertEquals(broken, outcome.failure);
    }

    @Test
    void aPingAndTheCloseDuringABlockingWriteWaitForItAndGoAfterIt() {
        sink.choice.blockingWhereUnbatched = true;
        Outcome outcome = new Outcome();
        sink.send(new Frame[] {frame("a"), frame("b")}, 2, outcome);
        sink.ping();
        sink.close(CloseCode.GOING_AWAY, "bye");
        assertEquals(List.of(), remote.log);
        runFlushes();
        runPings();
        assertEquals(List.of("blocking text a", "blocking text b", "close 1001 bye"), remote.log);
        assertTrue(outcome.done);
    }

    @Test
    void aClientSlowToTakeABlockingWriteIsSentAsyncNext() {
        slowToTakeABlockingWrite();
        sink.send("two", new Outcome());
        assertEquals(List.of("blocking text a", "blocking text b", "text two"), remote.log);
    }

    /** The client takes a write of two frames on a flusher ("a", "b") in over a second; sends complete at once from then on. */
    private void slowToTakeABlockingWrite() {
        sink.choice.blockingWhereUnbatched = true;
        remote.completeAtOnce = true;
        remote.onBlockingSend = () -> nowNanos += 1_001_000_000L;
        sink.send(new Frame[] {frame("a"), frame("b")}, 2, new Outcome());
        runFlushes();
        remote.onBlockingSend = () -> { };
    }

    @Test
    void aSlowClientIsWrittenOnAFlusherAgainOnceItTakesAsyncWritesPromptly() {
        slowToTakeABlockingWrite();
        for (int i = 0; i < WriteChoice.PROMPT_WRITES_TO_RECOVER; i++) {
            sink.send("prompt " + i, new Outcome());
        }
        remote.log.clear();
        sink.send(new Frame[] {frame("c"), frame("d")}, 2, new Outcome());
        runFlushes();
        assertEquals(List.of("blocking text c", "blocking text d"), remote.log);
    }

    @Test
    void anAsyncWriteASlowClientTakesLongToTakeStartsItsRecoveryOver() {
        slowToTakeABlockingWrite();
        for (int i = 1; i < WriteChoice.PROMPT_WRITES_TO_RECOVER; i++) {
            sink.send("prompt " + i, new Outcome());
        }
        remote.completeAtOnce = false;
        sink.send("taken late", new Outcome());
        nowNanos += 200_000_000L;
        remote.complete();
        remote.completeAtOnce = true;
        sink.send("prompt again", new Outcome());
        remote.log.clear();
        sink.send(new Frame[] {frame("c"), frame("d")}, 2, new Outcome());
        runFlushes();
        assertEquals(List.of("text c", "text d"), remote.log, "still async: one prompt write since the late one");
    }

    /** Open Liberty's blocking send has no timeout: a close behind one that never ends ends it, as a send timeout would. */
    @Test
    void aCloseBehindABlockingWriteThatNeverEndsGoesOnceTheContainerTimeoutHasPassed() throws Exception {
        PortableSink quick = new PortableSink(remote.session(), 40, pings, flushes); // a send times out after 60 ms
        quick.choice.blockingWhereUnbatched = true;
        java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);
        remote.onBlockingSend = () -> {
            sending.countDown();
            remote.awaitCloseOfBlockingSend();
        };
        Outcome stuck = new Outcome();
        quick.send(new Frame[] {frame("never read"), frame("nor this")}, 2, stuck);
        Thread flusher = new Thread(this::runFlushes);
        flusher.start();
        assertTrue(sending.await(10, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(closeWhileHeld(quick, flusher) >= 50_000_000L, "the close waited for the send's timeout");
        assertEquals(List.of("blocking text never read", "close 1008 stuck"), remote.log);
        assertInstanceOf(IOException.class, stuck.failure);
        assertNothingAfterTheClose(quick);
    }

    /** Open Liberty's ping waits with no bound for a write permit a connection closing just then never gives back. */
    @Test
    void aCloseBehindAPingThatNeverEndsGoesOnceTheContainerTimeoutHasPassed() throws Exception {
        PortableSink quick = new PortableSink(remote.session(), 40, pings, flushes); // a send times out after 60 ms
        java.util.concurrent.CountDownLatch pinging = new java.util.concurrent.CountDownLatch(1);
        remote.onPing = () -> {
            pinging.countDown();
            remote.awaitCloseOfBlockingSend();
        };
        quick.ping();
        Thread pinger = new Thread(pingQueue.removeFirst()); // the ping's own thread, held by the container
        pinger.start();
        assertTrue(pinging.await(10, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(closeWhileHeld(quick, pinger) >= 50_000_000L, "the close waited for the container timeout");
        assertEquals(List.of("ping", "close 1008 stuck"), remote.log);
        assertNothingAfterTheClose(quick);
    }

    /** Closes {@code sink} while {@code holder} is held inside the container; how long the close took to go, in nanoseconds. */
    private long closeWhileHeld(PortableSink sink, Thread holder) throws InterruptedException {
        long closing = System.nanoTime();
        sink.close(CloseCode.POLICY, "stuck");
        runPings();
        long took = System.nanoTime() - closing;
        holder.join(10_000);
        return took;
    }

    private void assertNothingAfterTheClose(PortableSink sink) {
        int before = remote.log.size();
        sink.send("too late", new Outcome());
        sink.ping();
        runPings();
        assertEquals(before, remote.log.size(), "nothing after the close");
    }

    /** Writes sent frame by frame keep a flusher busy without stalling it: a backlog starts another, up to the cores. */
    @Test
    void whenMoreWritesWaitThanTheBacklogAnotherFlusherStartsUpToTheBusyCount() {
        BatchFlushes busy = new BatchFlushes(flushQueue::add, 8, 2, () -> nowNanos, pause, 50, 1_000);
        for (int i = 0; i < BatchFlushes.BACKLOG; i++) {
            assertTrue(busy.submit(() -> { }));
        }
        assertEquals(2, flushQueue.size(), "one flusher, and its watcher");
        busy.submit(() -> { });
        assertEquals(3, flushQueue.size(), "a second flusher for the backlog");
        for (int i = 0; i < BatchFlushes.BACKLOG; i++) {
            busy.submit(() -> { });
        }
        assertEquals(3, flushQueue.size(), "no more than the busy count");
    }

    /** Open Liberty's close waits for its own read to be cancelled, on its own threads: never inside a completion. */
    @Test
    void theCloseGoesOnThePingExecutorNeverOnTheCallersThreadNorInsideACompletion() {
        sink.close(CloseCode.GOING_AWAY, "bye");
        assertEquals(List.of(), remote.log, "not on the caller's thread");
        runPings();
        assertEquals(List.of("close 1001 bye"), remote.log);
        StrictRemote otherRemote = new StrictRemote();
        PortableSink inFlight = new PortableSink(otherRemote.session(), 8_000, pings, flushes);
        inFlight.send("last", new Outcome());
        inFlight.close(CloseCode.POLICY, "stuck");
        otherRemote.complete();
        assertEquals(List.of("text last"), otherRemote.log, "not inside the send's completion");
        runPings();
        assertEquals(List.of("text last", "close 1008 stuck"), otherRemote.log);
    }

    /** A quote frame: the frames batching is for. */
    private static Frame frame(String text) {
        return new Frame(text, 0, 1);
    }

    private static final class Outcome implements Consumer<Throwable> {
        boolean done;
        Throwable failure;

        @Override
        public void accept(Throwable failure) {
            assertFalse(done, "a write reports its end once");
            done = true;
            this.failure = failure;
        }
    }

    /** A session's async remote that holds each send until completed, and refuses a second operation in flight. */
    private static final class StrictRemote {
        final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        final Deque<SendHandler> held = new ArrayDeque<>();
        final Map<String, Object> userProperties = new HashMap<>();
        boolean completeAtOnce;
        boolean open = true;
        boolean inFlight;
        long sendTimeout;
        /** Whether it batches at all (optional in the API); off, it ignores setBatchingAllowed as Open Liberty does. */
        boolean batches;
        boolean batching;
        /** Holds a batched send until the batch is flushed, as Undertow does. */
        boolean completesOnFlush;
        Runnable onFlush = () -> { };
        IOException flushFailure;
        /** Runs inside each ping, which ends when it returns (or throws). */
        Runnable onPing = () -> { };
        /** Runs inside each blocking send, which ends when it returns (or throws). */
        Runnable onBlockingSend = () -> { };
        private volatile boolean blockingSend;
        private final java.util.concurrent.CountDownLatch closedUnderBlockingSend = new java.util.concurrent.CountDownLatch(1);

        /** Inside a blocking send: waits until a close ends it, as Open Liberty's close does. */
        void awaitCloseOfBlockingSend() {
            try {
                assertTrue(closedUnderBlockingSend.await(10, java.util.concurrent.TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            throw new java.io.UncheckedIOException(new IOException("closed under the send"));
        }

        void complete() {
            finish(new SendResult());
        }

        void fail(Throwable failure) {
            finish(new SendResult(failure));
        }

        private void finish(SendResult result) {
            SendHandler handler = held.removeFirst();
            inFlight = false;
            handler.onResult(result);
        }

        /** As the API says: turning batching off flushes what it holds, and returns once written. */
        private void setBatchingAllowed(boolean allowed) throws IOException {
            if (!batches || allowed == batching) {
                return;
            }
            if (!allowed && completesOnFlush && inFlight) {
                log.add("flush, batching off");
                batching = false;
                complete();
                return;
            }
            begin(allowed ? "batching on" : "flush, batching off");
            batching = allowed;
            onFlush.run();
            if (!allowed && flushFailure != null) {
                throw flushFailure;
            }
        }

        private void begin(String what) {
            assertFalse(inFlight, "'" + what + "' started while another operation was in flight: " + log);
            log.add(what);
        }

        /** A blocking operation of the API (a ping, a blocking send): in flight until {@code inside} returns or throws. */
        private void blocking(String what, Runnable inside) throws IOException {
            begin(what);
            inFlight = blockingSend = true;
            try {
                inside.run();
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            } finally {
                inFlight = blockingSend = false;
            }
        }

        Session session() {
            RemoteEndpoint.Async async = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "sendText" -> {
                                begin("text " + args[0]);
                                inFlight = true;
                                held.addLast((SendHandler) args[1]);
                                if (completeAtOnce) {
                                    complete();
                                }
                            }
                            case "sendPing" -> blocking("ping", onPing);
                            case "setSendTimeout" -> sendTimeout = (Long) args[0];
                            case "getBatchingAllowed" -> {
                                return batching;
                            }
                            case "setBatchingAllowed" -> setBatchingAllowed((Boolean) args[0]);
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                        return null;
                    });
            RemoteEndpoint.Basic basic = (RemoteEndpoint.Basic) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {RemoteEndpoint.Basic.class}, (proxy, method, args) -> {
                        if (!method.getName().equals("sendText") || args.length != 1) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        blocking("blocking text " + args[0], onBlockingSend);
                        return null;
                    });
            return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getAsyncRemote" -> async;
                        case "getBasicRemote" -> basic;
                        case "close" -> {
                            CloseReason reason = (CloseReason) args[0];
                            String close = "close " + reason.getCloseCode().getCode() + " " + reason.getReasonPhrase();
                            if (blockingSend) { // the container ends the blocking send under it
                                log.add(close);
                                closedUnderBlockingSend.countDown();
                            } else {
                                begin(close);
                            }
                            yield null;
                        }
                        case "isOpen" -> open;
                        case "getUserProperties" -> userProperties;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}
