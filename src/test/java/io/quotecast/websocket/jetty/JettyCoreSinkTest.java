package io.quotecast.websocket.jetty;

import io.quotecast.stream.Frame;
import jakarta.websocket.Extension;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link JettyCoreSink} over a fake core session that records what it was handed: no Jetty, no socket. */
class JettyCoreSinkTest {

    private final RecordingCore core = new RecordingCore();
    private final JettyCoreSink sink = new JettyCoreSink(session(List.of()), core);

    @Test
    void aGatheredWriteBatchesAllButItsLastFrameWhichEndsTheBatchAndAloneReportsTheEnd() {
        List<Throwable> outcomes = new ArrayList<>();
        Consumer<Throwable> done = outcomes::add;
        Frame[] frames = {quote("{\"a\":1}"), quote("{\"b\":2}"), quote("{\"c\":3}")};

        sink.send(frames, 3, done);

        assertEquals(List.of("text batched {\"a\":1}", "text batched {\"b\":2}", "text {\"c\":3}"), core.log);
        assertEquals(List.of(false, false, true), core.reported);
        core.dones.get(0).accept(null);
        assertEquals(1, outcomes.size());
        assertNull(outcomes.get(0));
    }

    @Test
    void aFailureOfTheLastFrameIsTheWritesFailure() {
        List<Throwable> outcomes = new ArrayList<>();
        sink.send(new Frame[] {quote("{\"a\":1}"), quote("{\"b\":2}")}, 2, outcomes::add);

        IllegalStateException failure = new IllegalStateException("closed");
        core.dones.get(0).accept(failure);

        assertEquals(List.of(failure), outcomes);
    }

    @Test
    void aSingleFrameGoesUnbatched() {
        sink.send(quote("{\"a\":1}"), failure -> { });

        assertEquals(List.of("text {\"a\":1}"), core.log);
    }

    @Test
    void thePayloadIsTheFramesUtf8WithoutItsHeaderWhateverTheLengthsSize() {
        for (int length : new int[] {0, 125, 126, 65_535, 65_536}) {
            String text = "é".repeat(length / 2) + "x".repeat(length % 2);
            ByteBuffer payload = JettyCoreSink.payload(quote(text));
            assertEquals(text, StandardCharsets.UTF_8.decode(payload).toString(), "a text of " + length + " chars");
        }
    }

    @Test
    void eachSessionGetsAPayloadOfItsOwnSoThatJettyReadingOneLeavesTheOthersWhole() {
        Frame frame = quote("{\"a\":1}");
        ByteBuffer first = JettyCoreSink.payload(frame);
        first.position(first.limit());

        assertEquals("{\"a\":1}", StandardCharsets.UTF_8.decode(JettyCoreSink.payload(frame)).toString());
    }

    @Test
    void aReplyIsEncodedAndSentUnbatched() {
        sink.send("{\"type\":\"pong\",\"ü\":1}", failure -> { });

        assertEquals(List.of("text {\"type\":\"pong\",\"ü\":1}"), core.log);
    }

    @Test
    void aPingIsQueuedOnTheCoreSessionNotSentThroughTheBlockingApi() {
        sink.ping();

        assertEquals(List.of("ping qc"), core.log);
    }

    @Test
    void writesStartOnAnyThreadAndGather() {
        assertTrue(sink.startsWritesAnywhere());
        assertTrue(sink.gathers());
        assertEquals(JettyWritePath.NAME, sink.writePath());
    }

    @Test
    void aSessionWithANegotiatedExtensionGetsNoSink() {
        Session session = session(List.of(extension()));
        ReflectiveCoreFrames.Handles handles = new ReflectiveCoreFrames.Handles(session.getClass(), null, null, null,
                null, null);

        assertNull(JettyCoreSink.of(session, handles, 10_000));
    }

    @Test
    void aSessionOfAnotherClassThanTheHandlesWereFoundForGetsNoSink() {
        ReflectiveCoreFrames.Handles handles = new ReflectiveCoreFrames.Handles(String.class, null, null, null, null, null);

        assertNull(JettyCoreSink.of(session(List.of()), handles, 10_000));
    }

    @Test
    void anotherContainerIsNotOffered() {
        assertNull(JettyWritePath.ifContainer(new Object(), 10_000, Runnable::run));
    }

    @Test
    void theCoreSessionOfAnObjectWithoutOneIsNotFound() {
        assertFalse(lookUpSucceeds(Object.class));
    }

    private static boolean lookUpSucceeds(Class<?> type) {
        try {
            ReflectiveCoreFrames.lookUp(type);
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private static Frame quote(String text) {
        return new Frame(text, 0, 1);
    }

    private static Extension extension() {
        return (Extension) Proxy.newProxyInstance(JettyCoreSinkTest.class.getClassLoader(), new Class<?>[] {Extension.class},
                (proxy, method, args) -> method.getName().equals("getName") ? "permessage-deflate" : null);
    }

    private static Session session(List<Extension> extensions) {
        RemoteEndpoint.Async async = (RemoteEndpoint.Async) Proxy.newProxyInstance(JettyCoreSinkTest.class.getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException("the Jakarta remote is not for " + method.getName());
                });
        return (Session) Proxy.newProxyInstance(JettyCoreSinkTest.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAsyncRemote" -> async;
                    case "getNegotiatedExtensions" -> extensions;
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Records each frame handed to it, and holds each completion for the test to give. */
    private static final class RecordingCore implements CoreFrames {

        final List<String> log = new ArrayList<>();
        final List<Boolean> reported = new ArrayList<>();
        final List<Consumer<Throwable>> dones = new ArrayList<>();

        @Override
        public void sendText(ByteBuffer payload, boolean batch, Consumer<Throwable> done) {
            log.add("text " + (batch ? "batched " : "") + StandardCharsets.UTF_8.decode(payload));
            reported.add(done != null);
            if (done != null) {
                dones.add(done);
            }
        }

        @Override
        public void sendPing(ByteBuffer payload) {
            log.add("ping " + StandardCharsets.US_ASCII.decode(payload));
        }
    }
}
