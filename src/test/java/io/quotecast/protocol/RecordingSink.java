package io.quotecast.protocol;

import io.quotecast.stream.CloseCode;
import io.quotecast.stream.FrameSink;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A client that reads everything at once: every frame written, in order, and the close, if any. */
final class RecordingSink implements FrameSink {

    private final List<String> sent = new ArrayList<>();
    private int read;
    CloseCode closeCode;
    String closeReason;

    @Override
    public void send(String text, Consumer<Throwable> done) {
        sent.add(text);
        done.accept(null);
    }

    @Override
    public void close(CloseCode code, String reason) {
        closeCode = code;
        closeReason = reason;
    }

    /** Every frame written so far, as JSON. */
    List<JsonObject> frames() {
        return sent.stream().map(RecordingSink::json).toList();
    }

    /** The frames written since the last call (or since the start). */
    List<JsonObject> unread() {
        List<JsonObject> frames = frames().subList(read, sent.size());
        read = sent.size();
        return frames;
    }

    /** The one frame written since the last read; fails if there are none or several. */
    JsonObject next() {
        List<JsonObject> frames = unread();
        if (frames.size() != 1) {
            throw new AssertionError("expected one frame, got " + frames);
        }
        return frames.get(0);
    }

    boolean closed() {
        return closeCode != null;
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
