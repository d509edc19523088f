package io.quotecast.stream;

import java.util.Arrays;

/**
 * One client's live quotes waiting to be sent: in order, every tick, while they take less than the
 * backlog budget; past it, one per symbol, in the order the symbols fell behind, and whichever quote
 * of the symbol is newest when it goes out is the one sent.
 *
 * <p>The budget is in characters, not frames, and far larger than what a reader that keeps up ever
 * has waiting: the quotes gathered in one gathering window plus one write in flight. So only a client
 * that really falls behind is conflated. Bounded whatever the client does: the budget (plus one
 * quote) in order, and one quote per symbol after that.
 *
 * <p>It holds {@link FrameLog} positions, not frames (see {@link FrameLog} for why), in a ring that
 * starts small, doubles as needed and goes back to small once emptied: a client that keeps up never
 * makes it grow, and one that caught up after a lag (its own, or the whole server's) holds no more
 * than it did before. A quote's position, symbol and length sit side by side in one array: every
 * quote of the feed lands in about a hundred clients' rings, and one array is one cache miss where
 * three arrays would be three: cache misses on clients' state are most of the feed thread's own time.
 * Not thread-safe:
 * its {@link Subscriber}'s lock guards it.
 */
final class LiveQuotes {

    private static final int INITIAL_CAPACITY = 16;
    /** Arrays larger than this are given back once emptied. */
    private static final int KEEP_CAPACITY = 64;
    /** Positions older than the log's capacity are gone from it anyway: no use keeping more. */
    private static final int MAX_CAPACITY = FrameLog.CAPACITY;

    private final FrameLog log;
    private final long budgetChars;
    /** Two slots a quote: its log position, then its symbol (high half) and length (low half). */
    private long[] ring = new long[2 * INITIAL_CAPACITY];
    private int head;
    private int size;
    /** Characters of the quotes waiting in order, as they were when queued. */
    private long chars;
    /** Symbols that fell behind, oldest first: a ring holding each symbol at most once. */
    private final int[] behind;
    private final boolean[] isBehind;
    private int behindHead;
    private int behindSize;

    /** {@code budgetChars}: how many characters of quotes may wait in order before conflation starts. */
    LiveQuotes(int symbolCount, FrameLog log, long budgetChars) {
        this.log = log;
        this.budgetChars = budgetChars;
        this.behind = new int[symbolCount];
        this.isBehind = new boolean[symbolCount];
    }

    /** Adds {@code quote}; true if it replaced a quote of the symbol still waiting (conflation). */
    boolean add(Frame quote) {
        int symbol = quote.symbolIndex();
        if (behindSize == 0 && chars < budgetChars && size < MAX_CAPACITY) {
            if (2 * size == ring.length) {
                grow();
            }
            int at = 2 * ((head + size++) & (capacity() - 1));
            int length = quote.text().length();
            ring[at] = quote.position();
            ring[at + 1] = (long) symbol << 32 | length;
            chars += length;
            return false;
        }
        // Fallen behind: from here on, the latest quote of each symbol wins.
        if (isBehind[symbol]) {
            return true;
        }
        isBehind[symbol] = true;
        behind[(behindHead + behindSize++) % behind.length] = symbol;
        return false;
    }

    /** How many quotes the ring holds: a power of two. */
    private int capacity() {
        return ring.length >> 1;
    }

    /** Doubles the ring (its capacity stays a power of two), oldest quote first. */
    private void grow() {
        resize(capacity() * 2);
    }

    /** Moves the waiting quotes, oldest first, into a ring of {@code newCapacity}. */
    private void resize(int newCapacity) {
        long[] resized = new long[2 * newCapacity];
        for (int i = 0; i < size; i++) {
            int from = 2 * ((head + i) & (capacity() - 1));
            resized[2 * i] = ring[from];
            resized[2 * i + 1] = ring[from + 1];
        }
        ring = resized;
        head = 0;
    }

    /** Whether a quote of the symbol waits among the conflated ones, so that a newer one replaces it. */
    boolean isBehind(int symbol) {
        return isBehind[symbol];
    }

    /** The next quote to send, oldest first; null when none waits. */
    Frame poll() {
        if (size > 0) {
            long position = ring[2 * head];
            long symbolAndLength = ring[2 * head + 1];
            int symbol = (int) (symbolAndLength >>> 32);
            chars -= (int) symbolAndLength;
            head = (head + 1) & (capacity() - 1);
            if (--size == 0 && capacity() > KEEP_CAPACITY) {
                resize(INITIAL_CAPACITY);
            }
            Frame frame = log.at(position);
            // So far behind that the log has gone round: the latest quote wins.
            return frame != null ? frame : log.newest(symbol);
        }
        if (behindSize > 0) {
            int symbol = behind[behindHead];
            behindHead = (behindHead + 1) % behind.length;
            behindSize--;
            isBehind[symbol] = false;
            return log.newest(symbol);
        }
        return null;
    }

    boolean isEmpty() {
        return size == 0 && behindSize == 0;
    }

    /** How many quotes wait. */
    int size() {
        return size + behindSize;
    }

    /** Characters of the quotes waiting in order, as queued. */
    long charsInOrder() {
        return chars;
    }

    /** Characters of the quotes waiting: those in order as queued, the conflated ones as they would be sent now. */
    long chars() {
        long total = chars;
        for (int i = 0; i < behindSize; i++) {
            total += log.newest(behind[(behindHead + i) % behind.length]).text().length();
        }
        return total;
    }

    void clear() {
        size = 0;
        resize(INITIAL_CAPACITY);
        chars = 0;
        behindSize = 0;
        Arrays.fill(isBehind, false);
    }
}
