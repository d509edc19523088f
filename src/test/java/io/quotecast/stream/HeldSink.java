package io.quotecast.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A transport whose writes stay in flight until the test completes (or fails) them: what the client
 * would read, write by write, with no socket.
 */
final class HeldSink implements FrameSink {

    final boolean gathers;
    final List<Frame> sent = new ArrayList<>();
    /** How many frames each write carried, in order. */
    final List<Integer> writes = new ArrayList<>();
    final List<Consumer<Throwable>> inFlight = new ArrayList<>();
    RuntimeException throwOnSend;
    /** Completes each write before its send returns, as a transport with room in its buffers may. */
    boolean completeAtOnce;
    /** Whether its writes may start on the feed's thread (the hub then drains it there). */
    boolean startsWritesAnywhere;
    /** Whether each write costs so much that every quote waits out the window. */
    boolean gathersEveryQuote;
    CloseCode closeCode;
    String closeReason;
    int closes;

    HeldSink() {
        this(true);
    }

    HeldSink(boolean gathers) {
        this.gathers = gathers;
    }

    @Override
    public void send(String text, Consumer<Throwable> done) {
        send(Frame.control(text), done);
    }

    @Override
    public void send(Frame frame, Consumer<Throwable> done) {
        if (throwOnSend != null) {
            throw throwOnSend;
        }
        sent.add(frame);
        writes.add(1);
        inFlight.add(done);
        if (completeAtOnce) {
            completeOne();
        }
    }

    @Override
    public boolean startsWritesAnywhere() {
        return startsWritesAnywhere;
    }

    @Override
    public boolean gathers() {
        return gathers;
    }

    @Override
    public boolean gathersEveryQuote() {
        return gathersEveryQuote;
    }

    @Override
    public void send(Frame[] frames, int count, Consumer<Throwable> done) {
        if (!gathers) {
            throw new AssertionError("a gathered write to a sink that does not gather");
        }
        if (throwOnSend != null) {
            throw throwOnSend;
        }
        for (int i = 0; i < count; i++) {
            sent.add(frames[i]);
        }
        writes.add(count);
        inFlight.add(done);
        if (completeAtOnce) {
            completeOne();
        }
    }

    /** Completes the oldest write in flight. */
    void completeOne() {
        inFlight.remove(0).accept(null);
    }

    /** Fails the oldest write in flight, as a broken connection would. */
    void failOne(Throwable failure) {
        inFlight.remove(0).accept(failure);
    }

    /** Completes writes until none is in flight: the client reads everything. */
    void completeAll() {
        while (!inFlight.isEmpty()) {
            completeOne();
        }
    }

    List<String> texts() {
        return sent.stream().map(Frame::text).toList();
    }

    List<Frame> quotes() {
        return sent.stream().filter(Frame::isQuote).toList();
    }

    @Override
    public void close(CloseCode code, String reason) {
        closeCode = code;
        closeReason = reason;
        closes++;
    }
}
