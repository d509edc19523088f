package io.quotecast.stream;

/** What the hub must do after handing a live tick to an outbox ({@link Subscriber#accept}). */
enum Wake {
    /** Nothing: the outbox was already waiting to be drained (or had a write in flight), or took nothing. */
    NONE,
    /** Drain it now, on a sender thread: this transport writes one frame at a time, so waiting gathers nothing. */
    NOW,
    /** Drain it when the feed's batch ends: no write to this client started within the window. */
    BATCH_END,
    /**
     * Drain it at the first batch end from {@link Subscriber#windowEnd()} on: a write to this client
     * started less than a window ago, so its quotes go out together, at most one write a window.
     */
    WINDOW_END
}
