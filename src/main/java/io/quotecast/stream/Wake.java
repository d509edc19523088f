package io.quotecast.stream;

/** What the hub must do after handing a live tick to an outbox ({@link Subscriber#accept}). */
enum Wake {
    /** Nothing: the outbox was already waiting to be drained, or took nothing. */
    NONE,
    /** Drain it now, on a sender thread: this transport writes one frame at a time, so waiting gathers nothing. */
    NOW,
    /** Drain it when the feed's batch ends: a quiet client, for whom waiting longer would gather nothing. */
    BATCH_END,
    /**
     * Drain it at the first batch end a gathering window after this tick: a busy client, whose
     * next quotes are likely to arrive meanwhile and go out in the same write.
     */
    WINDOW_END
}
