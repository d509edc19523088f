package io.quotecast.stream;

import java.util.Arrays;

/**
 * One client's live quotes waiting to be sent: in order while they are few ({@value #BACKLOG}), so
 * that a client that keeps up sees every tick even when the feed bursts; after that, one per symbol,
 * in the order the symbols fell behind, and whichever quote of the symbol is newest when it goes
 * out is the one sent. Bounded whatever the client does: {@value #BACKLOG} plus one per symbol.
 *
 * <p>It holds {@link FrameLog} positions, not frames (see {@link FrameLog} for why). Not
 * thread-safe: its {@link Subscriber}'s lock guards it.
 */
final class LiveQuotes {

    static final int BACKLOG = 64;

    private final FrameLog log;
    private final long[] positions = new long[BACKLOG];
    private final int[] symbols = new int[BACKLOG];
    private int head;
    private int size;
    /** Symbols that fell behind, oldest first: a ring holding each symbol at most once. */
    private final int[] behind;
    private final boolean[] isBehind;
    private int behindHead;
    private int behindSize;

    LiveQuotes(int symbolCount, FrameLog log) {
        this.log = log;
        this.behind = new int[symbolCount];
        this.isBehind = new boolean[symbolCount];
    }

    /** Adds the quote at {@code position}; true if it replaced a quote of the symbol still waiting (conflation). */
    boolean add(int symbol, long position) {
        if (behindSize == 0 && size < BACKLOG) {
            int at = (head + size++) % BACKLOG;
            positions[at] = position;
            symbols[at] = symbol;
            return false;
        }
        // Falling behind: from here on, the latest quote of each symbol wins.
        if (isBehind[symbol]) {
            return true;
        }
        isBehind[symbol] = true;
        behind[(behindHead + behindSize++) % behind.length] = symbol;
        return false;
    }

    /** Whether a quote of the symbol waits among the conflated ones, so that a newer one replaces it. */
    boolean isBehind(int symbol) {
        return isBehind[symbol];
    }

    /** The next quote to send, oldest first; null when none waits. */
    Frame poll() {
        if (size > 0) {
            long position = positions[head];
            int symbol = symbols[head];
            head = (head + 1) % BACKLOG;
            size--;
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

    /** Characters of the quotes waiting, as they would be sent now. */
    long chars() {
        long chars = 0;
        for (int i = 0; i < size; i++) {
            int at = (head + i) % BACKLOG;
            Frame frame = log.at(positions[at]);
            chars += (frame != null ? frame : log.newest(symbols[at])).text().length();
        }
        for (int i = 0; i < behindSize; i++) {
            chars += log.newest(behind[(behindHead + i) % behind.length]).text().length();
        }
        return chars;
    }

    void clear() {
        size = 0;
        behindSize = 0;
        Arrays.fill(isBehind, false);
    }
}
