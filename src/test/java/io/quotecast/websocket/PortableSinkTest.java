package io.quotecast.websocket;

import io.quotecast.stream.CloseCode;
import io.quotecast.stream.Frame;
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
import java.util.List;
import java.util.function.Consumer;

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
    private final PortableSink sink = new PortableSink(remote.session(), 8_000, pings);

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

    @Test
    void theSendTimeoutIsTheStuckClientTimeout() {
        assertEquals(8_000, remote.sendTimeout);
    }

    private static Frame frame(String text) {
        return Frame.control(text);
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
        final List<String> log = new ArrayList<>();
        final Deque<SendHandler> held = new ArrayDeque<>();
        boolean completeAtOnce;
        boolean inFlight;
        long sendTimeout;

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

        private void begin(String what) {
            assertFalse(inFlight, "'" + what + "' started while another operation was in flight: " + log);
            log.add(what);
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
                            case "sendPing" -> begin("ping");
                            case "setSendTimeout" -> sendTimeout = (Long) args[0];
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                        return null;
                    });
            return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getAsyncRemote" -> async;
                        case "close" -> {
                            CloseReason reason = (CloseReason) args[0];
                            begin("close " + reason.getCloseCode().getCode() + " " + reason.getReasonPhrase());
                            yield null;
                        }
                        case "isOpen" -> true;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}
