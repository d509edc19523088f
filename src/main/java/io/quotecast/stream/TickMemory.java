package io.quotecast.stream;

import io.quotecast.market.Quote;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;

/**
 * What the hub remembers of each symbol for a subscription's start: its latest quote (the snapshot)
 * and its last ticks, replayed to a client that resumes with {@code since}.
 *
 * <p>Written by the feed's thread only; read under a subscriber's lock by {@link #firstFrames}, so the
 * latest quote is published through an atomic array.
 */
final class TickMemory {

    /** A symbol that resumes nothing: it starts from its snapshot. */
    static final long NO_RESUME = -1;

    private static final Frame[] NOTHING = new Frame[0];

    private final QuoteFormat format;
    private final AtomicReferenceArray<Quote> latest;
    private final List<TickBuffer> recent;

    /** {@code ticksPerSymbol}: how many of each symbol's last ticks are kept for clients that resume. */
    TickMemory(int symbolCount, int ticksPerSymbol, QuoteFormat format) {
        this.format = format;
        this.latest = new AtomicReferenceArray<>(symbolCount);
        this.recent = Stream.generate(() -> new TickBuffer(ticksPerSymbol)).limit(symbolCount).toList();
    }

    /** The symbol's latest quote; null before its first. */
    Quote latest(int symbol) {
        return latest.get(symbol);
    }

    /**
     * Remembers a tick and its {@code frame}. After a {@code gap} the kept ticks start over from this
     * one, as a live frame, since those before it are no longer all there.
     */
    void remember(int symbol, Quote quote, Frame frame, boolean gap) {
        latest.set(symbol, quote);
        TickBuffer ring = recent.get(symbol);
        if (gap) {
            ring.clear();
            ring.add(new Frame(format.live(quote), symbol, quote.seq()));
        } else {
            ring.add(frame);
        }
    }

    /** Forgets every quote and kept tick: a new feed run's seq numbers start over. */
    void forget() {
        for (int symbol = 0; symbol < recent.size(); symbol++) {
            latest.set(symbol, null);
            recent.get(symbol).clear();
        }
    }

    /**
     * The snapshot (marked {@code stale} while the node has lost its feed), or the ticks after
     * {@code since} when they are all kept and their characters fit {@code budgetChars} (else a gap
     * snapshot: the client is told it missed some). Called under the subscriber's lock, so no live tick
     * of the symbol can slip in before these.
     */
    SubscriptionStart firstFrames(int symbol, long since, long budgetChars, boolean stale) {
        Quote quote = latest.get(symbol);
        if (quote == null) {
            return new SubscriptionStart(0, NOTHING);
        }
        if (since != NO_RESUME) {
            Frame[] missed = recent.get(symbol).after(since);
            if (missed != null && charsOf(missed) <= budgetChars) {
                return new SubscriptionStart(since, missed);
            }
        }
        return new SubscriptionStart(quote.seq() - 1,
                new Frame[] {new Frame(format.snapshot(quote, since != NO_RESUME, stale), symbol, quote.seq())});
    }

    private static long charsOf(Frame[] frames) {
        long chars = 0;
        for (Frame frame : frames) {
            chars += frame.text().length();
        }
        return chars;
    }
}
