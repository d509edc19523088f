package io.quotecast.ops;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the server has sent, in all: the totals behind {@code quotecast_quotes_sent_total} and
 * {@code quotecast_bytes_sent_total}. Adders, because every sender thread writes them at once and
 * none may wait on another for it.
 */
public final class Traffic {

    private final LongAdder quotes = new LongAdder();
    private final LongAdder frames = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    void add(int quoteCount, int frameCount, long byteCount) {
        if (quoteCount > 0) {
            quotes.add(quoteCount);
        }
        frames.add(frameCount);
        bytes.add(byteCount);
    }

    public long quotes() {
        return quotes.sum();
    }

    public long frames() {
        return frames.sum();
    }

    public long bytes() {
        return bytes.sum();
    }
}
