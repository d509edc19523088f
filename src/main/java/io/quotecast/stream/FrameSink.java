package io.quotecast.stream;

import java.util.function.Consumer;

/**
 * Where one client's frames go: the transport under a {@link Subscriber} (a WebSocket session in
 * production). Every call must return without waiting for the network; a send reports its end
 * through {@code done}, on any thread, possibly before it returns.
 */
public interface FrameSink {

    /** Starts sending a text frame; {@code done} gets null on success, else the failure. */
    void send(String text, Consumer<Throwable> done);

    /** The same for an encoded frame: a transport that can write {@link Frame#wire()} as it is may override this. */
    default void send(Frame frame, Consumer<Throwable> done) {
        send(frame.text(), done);
    }

    /** Whether {@link #send(Frame[], int, Consumer)} writes several frames at once, so that frames are gathered for it. */
    default boolean gathers() {
        return false;
    }

    /**
     * Whether a write costs so much more than a frame (a container's send per frame with its
     * completion, a thread woken to flush) that every quote waits out the window for others to join
     * it, not only one that comes within a window of the last write. Only where {@link #gathers()}.
     */
    default boolean gathersEveryQuote() {
        return false;
    }

    /**
     * Starts sending {@code frames[0..count)} in order, as one write: {@code done} once, for all of
     * them. Only called when {@link #gathers()}; the array is new for this write and never touched
     * by the caller again, so the sink may hold on to it until {@code done}.
     */
    default void send(Frame[] frames, int count, Consumer<Throwable> done) {
        throw new UnsupportedOperationException("this sink sends one frame at a time");
    }

    /**
     * Whether a write may start on any thread and return at once, written or not, without handing it
     * to another thread first (a socket written to directly, without blocking). The hub then drains
     * such a client at the feed's batch end on the feed's own thread, which spares a hand-off and a
     * thread's wake-up per write; others are drained on the hub's sender threads.
     */
    default boolean startsWritesAnywhere() {
        return false;
    }

    /** Closes the connection with a WebSocket close code and reason. */
    void close(CloseCode code, String reason);
}
