package io.quotecast.ops;

import io.quotecast.stream.CloseCode;
import io.quotecast.stream.Frame;
import io.quotecast.stream.FrameSink;

import java.util.function.Consumer;

/**
 * A connection's {@link FrameSink}, counting what goes through it: for the connection's close log
 * line, and, where metrics are on, for the server's totals ({@link Traffic}). Bytes are payload
 * bytes, counted as characters: every frame the server writes is ASCII JSON.
 *
 * <p>It sits on the hot path, once per write: plain fields (a subscriber has one write in flight at a
 * time, so one writer) and adders, no lock, nothing allocated.
 *
 * <p>It forwards every method of {@link FrameSink} itself, the capabilities ({@code gathers},
 * {@code startsWritesAnywhere}) included: one left to its default would hide the transport's answer.
 * {@code CountingSinkTest} fails on a method of {@code FrameSink} this class does not declare.
 */
public final class CountingSink implements FrameSink {

    private final FrameSink sink;
    private final Traffic traffic;
    private long quotesSent;
    private long bytesSent;

    /** {@code traffic}: the server's totals, or null where metrics are off. */
    public CountingSink(FrameSink sink, Traffic traffic) {
        this.sink = sink;
        this.traffic = traffic;
    }

    @Override
    public void send(String text, Consumer<Throwable> done) {
        count(0, 1, text.length());
        sink.send(text, done);
    }

    @Override
    public void send(Frame frame, Consumer<Throwable> done) {
        count(frame.isQuote() ? 1 : 0, 1, frame.text().length());
        sink.send(frame, done);
    }

    @Override
    public boolean gathers() {
        return sink.gathers();
    }

    @Override
    public boolean gathersEveryQuote() {
        return sink.gathersEveryQuote();
    }

    @Override
    public boolean startsWritesAnywhere() {
        return sink.startsWritesAnywhere();
    }

    @Override
    public void send(Frame[] frames, int count, Consumer<Throwable> done) {
        int quotes = 0;
        long chars = 0;
        for (int i = 0; i < count; i++) {
            Frame frame = frames[i];
            if (frame.isQuote()) {
                quotes++;
            }
            chars += frame.text().length();
        }
        count(quotes, count, chars);
        sink.send(frames, count, done);
    }

    private void count(int quotes, int frames, long chars) {
        quotesSent += quotes;
        bytesSent += chars;
        if (traffic != null) {
            traffic.add(quotes, frames, chars);
        }
    }

    @Override
    public void close(CloseCode code, String reason) {
        sink.close(code, reason);
    }

    /** Quote frames handed to the transport for this connection so far. */
    public long quotesSent() {
        return quotesSent;
    }

    /** Payload bytes handed to the transport for this connection so far. */
    public long bytesSent() {
        return bytesSent;
    }
}
