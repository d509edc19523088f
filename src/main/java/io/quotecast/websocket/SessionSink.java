package io.quotecast.websocket;

import io.quotecast.stream.CloseCode;
import io.quotecast.stream.Frame;
import io.quotecast.stream.FrameSink;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link FrameSink} over a WebSocket session's asynchronous remote: sends never block the caller.
 * Portable: it uses only the Jakarta WebSocket API, so it works in any container.
 *
 * <p>Frames that waited together go out as back-to-back asynchronous sends, done once the last one
 * is: one hand-off from the outbox for all of them instead of one each, which is what lets the WAR
 * keep up with a client of thousands of quotes a second. Tyrus (GlassFish) and Undertow (WildFly)
 * both queue a send made while another is in flight, in order.
 */
public class SessionSink implements FrameSink {

    private final Session session;

    public SessionSink(Session session) {
        this.session = session;
    }

    @Override
    public void send(String text, Consumer<Throwable> done) {
        session.getAsyncRemote().sendText(text, result -> done.accept(result.isOK() ? null : result.getException()));
    }

    @Override
    public boolean gathers() {
        return true;
    }

    @Override
    public void send(Frame[] frames, int count, Consumer<Throwable> done) {
        GatheredSends gathered = new GatheredSends(count, done);
        RemoteEndpoint.Async remote = session.getAsyncRemote();
        try {
            for (int i = 0; i < count; i++) {
                remote.sendText(frames[i].text(), gathered);
            }
        } catch (RuntimeException e) {
            gathered.fail(e);
        }
    }

    /** Counts the sends of one gathered write down, and reports once: the first failure, or success after the last. */
    private static final class GatheredSends implements SendHandler {

        private final AtomicInteger pending;
        private final AtomicBoolean reported = new AtomicBoolean();
        private final Consumer<Throwable> done;

        GatheredSends(int count, Consumer<Throwable> done) {
            this.pending = new AtomicInteger(count);
            this.done = done;
        }

        @Override
        public void onResult(SendResult result) {
            if (!result.isOK()) {
                fail(result.getException());
            } else if (pending.decrementAndGet() == 0 && reported.compareAndSet(false, true)) {
                done.accept(null);
            }
        }

        void fail(Throwable failure) {
            if (reported.compareAndSet(false, true)) {
                done.accept(failure);
            }
        }
    }

    @Override
    public void close(CloseCode code, String reason) {
        Closing.close(session, code, reason);
    }
}
