package io.quotecast.websocket;

import io.quotecast.stream.Frame;
import io.quotecast.stream.WireFormat;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One write of a {@link PortableSink}: its frames sent one after another, each from the last one's
 * completion. Where several frames go and the sink may batch, they are sent with batching allowed,
 * so that the container gathers them in its buffer, and batching is then ended by a flusher of
 * {@link BatchFlushes}, which writes them in one go: one system call, not one per frame.
 *
 * <p>Where the container does not batch, the frames go through the blocking API on a flusher
 * instead ({@link WriteChoice#sendsBlocking}), one after another: the container then writes each on
 * that thread, with no hand-off per frame.
 *
 * <p>A container may complete a send inside {@code sendText} (a batched one does on Tomcat); the
 * sending thread then goes on with the next frame itself, so that completions never nest.
 */
final class PortableWrite implements SendHandler {

    /**
     * The longest frame, in chars, that may go in a batch. A container may send a long message in
     * parts, each choosing anew whether to go through its batch buffer (Tomcat does, in parts of
     * 8 KiB): ending the batch between two parts of one message would send the later part first.
     * At three UTF-8 bytes a char at most, a frame of this many is one part everywhere. Quotes are
     * far shorter; a long reply (a history) goes in a write of its own kind, unbatched.
     */
    static final int MOST_CHARS_BATCHED = 2048;
    private static final int SENDING = 0;
    private static final int RETURNED = 1;
    private static final int COMPLETED_INSIDE = 2;

    private final PortableSink sink;
    private final Frame[] frames;
    private final String text;
    private final int count;
    private final Consumer<Throwable> done;
    /** Whether the send in flight completed before {@code sendText} returned. */
    private final AtomicInteger state = new AtomicInteger();
    /**
     * What must end before the write does: its frames, and a batch being ended on a flusher
     * ({@link #deferred}). The next write must not start while the container still batches: a long
     * message would go through its batch buffer, and the batch's end would cut it in two.
     */
    private final AtomicInteger unfinished = new AtomicInteger(1);
    private int next;
    /** Read by the completion, which may run on another thread. */
    private volatile boolean batched;
    private Throwable failure;
    /** Whether this write goes async frame by frame for a slow client, timed from {@link #slowSince}. */
    private boolean forSlowClient;
    private long slowSince;

    PortableWrite(PortableSink sink, Frame[] frames, String text, int count, Consumer<Throwable> done) {
        this.sink = sink;
        this.frames = frames;
        this.text = text;
        this.count = count;
        this.done = done;
    }

    /** Starts it; the sink's operation in flight from now until {@code done}. */
    void start() {
        if (sink.framed != null) {
            startFramed();
            return;
        }
        batched = count > 1 && batchable() && sink.choice.startBatch();
        if (!batched && sink.choice.sendsBlocking()) {
            if (!sink.flushes.submit(this::sendBlocking)) {
                finish(new IllegalStateException("the application is stopping"));
            }
            return;
        }
        if (!batched && sink.choice.slow) {
            forSlowClient = true;
            slowSince = sink.flushes.nanoTime();
        }
        sendFrames();
    }

    /**
     * The frames in one write through the container's own frame writer, started here where that cannot
     * wait, else on a flusher; the write never waits for the client, and ends when it completes.
     */
    private void startFramed() {
        byte[] wire = frames == null ? WireFormat.textFrame(text) : Frame.joinWire(frames, count);
        // Watched as a blocking write is: a close that waits behind it goes anyway once it is stuck.
        sink.blocking(System.nanoTime());
        try {
            if (sink.framed.tryWrite(wire, this::framedWritten)) {
                return;
            }
        } catch (RuntimeException e) {
            framedWritten(e);
            return;
        }
        if (!sink.flushes.submit(() -> sendFramed(wire))) {
            framedWritten(new IllegalStateException("the application is stopping"));
        }
    }

    /** On a flusher: the write that could not start on the thread that handed it over. */
    private void sendFramed(byte[] wire) {
        try {
            sink.framed.write(wire, this::framedWritten);
        } catch (RuntimeException e) {
            framedWritten(e);
        }
    }

    private void framedWritten(Throwable failure) {
        sink.blocking(0);
        finish(failure);
    }

    /** On a flusher: the frames through the blocking API; a client slow to take them is sent async until it recovers. */
    private void sendBlocking() {
        long started = sink.flushes.nanoTime();
        sink.blocking(System.nanoTime());
        Throwable blockingFailure = null;
        try {
            for (int i = 0; i < count; i++) {
                sink.basic.sendText(frames == null ? text : frames[i].text());
            }
        } catch (IOException | RuntimeException e) {
            blockingFailure = e;
        }
        sink.blocking(0);
        sink.choice.flusherWriteTook(sink.flushes.nanoTime() - started);
        finish(blockingFailure);
    }

    /**
     * Quotes only, each short. Replies and errors go unbatched: they come between long replies (a
     * history), and where they came in a batch, a client flooding history requests read a close
     * frame's header followed by reply text on Tomcat 11 (close code 11298), in two of four fresh
     * clones. Tomcat ends a session's batch by itself on its own threads ({@code WsSession.onClose}
     * calls {@code setBatchingAllowed(false)}), so a batch can end under a write in flight; quotes, the
     * frames batching is for, are short and never part of a longer message.
     */
    private boolean batchable() {
        for (int i = 0; i < count; i++) {
            if (!frames[i].isQuote() || frames[i].text().length() > MOST_CHARS_BATCHED) {
                return false;
            }
        }
        return true;
    }

    /** Never started: the session is closing. */
    void refuse(Throwable why) {
        done.accept(why);
    }

    /** Sends from {@code next} on, for as long as each send completes before it returns. */
    private void sendFrames() {
        while (true) {
            state.set(SENDING);
            try {
                sink.remote.sendText(frames == null ? text : frames[next].text(), this);
            } catch (RuntimeException e) {
                failure = e;
                state.set(COMPLETED_INSIDE);
            }
            if (state.compareAndSet(SENDING, RETURNED)) {
                if (batched) {
                    deferred();
                }
                return;
            }
            if (!sent()) {
                return;
            }
        }
    }

    @Override
    public void onResult(SendResult result) {
        if (!result.isOK()) {
            failure = result.getException();
        }
        if (!state.compareAndSet(SENDING, COMPLETED_INSIDE) && sent()) {
            sendFrames();
        }
    }

    /** A send is done: true if the next frame is to go now; else the write is over, or flushing. */
    private boolean sent() {
        if (failure != null) {
            finish(failure);
        } else if (++next < count) {
            return true;
        } else if (!batched) {
            finish(null);
        } else if (!sink.flushes.submit(this::flush)) {
            finish(new IllegalStateException("the application is stopping"));
        }
        return false;
    }

    /**
     * A batched send did not complete inside {@code sendText}: the container completes batched sends
     * only once flushed (Undertow does), or it is writing a full buffer. Waiting for the completion
     * before the next send would then wait forever, so the batch is ended now, on a flusher, and the
     * session sends unbatched from now on; the completion goes on with the rest.
     */
    private void deferred() {
        batched = false;
        sink.choice.batchingWorks = false;
        unfinished.incrementAndGet();
        if (!sink.flushes.submit(this::endBatch)) {
            endBatch(); // shutting down: the send fails or completes at once
        }
    }

    private void endBatch() {
        try {
            sink.remote.setBatchingAllowed(false);
        } catch (IOException | RuntimeException e) {
            // the send in flight reports the failure
        }
        finish(null);
    }

    /** On a flusher: ending the batch writes what it holds, and may wait for the client. */
    private void flush() {
        long started = sink.flushes.nanoTime();
        Throwable flushFailure = null;
        try {
            sink.remote.setBatchingAllowed(false);
        } catch (IOException | RuntimeException e) {
            flushFailure = e;
        }
        sink.choice.flusherWriteTook(sink.flushes.nanoTime() - started);
        finish(flushFailure);
    }

    /** One of {@link #unfinished} is done; the last one ends the write, with the frames' failure if any. */
    private void finish(Throwable failure) {
        if (failure != null) {
            this.failure = failure;
        }
        if (unfinished.decrementAndGet() == 0) {
            if (forSlowClient) { // before the next write can start: the choice is the write in flight's
                sink.choice.asyncWriteTook(sink.flushes.nanoTime() - slowSince, this.failure != null);
            }
            sink.release();
            done.accept(this.failure);
        }
    }
}
