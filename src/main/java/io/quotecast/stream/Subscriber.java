package io.quotecast.stream;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.concurrent.Executor;
import java.util.function.IntFunction;

/**
 * One connection's subscriptions and its outbox: what is waiting to be sent to that client.
 *
 * <p>Memory per client is bounded whatever the client does. Live quotes wait in a short queue
 * ({@value #LIVE_BACKLOG} frames), so a client that keeps up sees every tick even when the feed
 * bursts; once that queue is full, they are conflated per symbol: a client that reads slower than
 * the feed gets the latest quote of each symbol and a jump in {@code seq}, never a growing
 * backlog. Replies, snapshots and replayed ticks wait in order; a client that lets more than
 * {@value #MAX_QUEUED_FRAMES} replies pile up is not reading and is closed. (Snapshots and replays
 * are bounded by the symbols subscribed and the ticks buffered per symbol.)
 *
 * <p>At most one frame per client is in flight at a time, so the transport's own write queue holds
 * at most one frame too. Sending happens on the hub's sender threads; the feed only drops a frame
 * in a slot and, if the outbox was idle, schedules it.
 */
public final class Subscriber {

    static final int MAX_QUEUED_FRAMES = 1024;
    static final int LIVE_BACKLOG = 64;
    /** Close code for a client that stopped reading: a policy violation (RFC 6455). */
    public static final int CLOSE_NOT_READING = 1008;

    private final FrameSink sink;
    private final Executor sender;
    private final Frame[] pendingQuote;
    /** Symbols with a pending quote, oldest first: a ring holding each symbol at most once. */
    private final int[] pendingOrder;
    private int orderHead;
    private int orderSize;
    private final long[] lastSentSeq;
    private final boolean[] subscribed;
    private int subscribedCount;
    private final ArrayDeque<Frame> queued = new ArrayDeque<>();
    private final ArrayDeque<Frame> live = new ArrayDeque<>();
    /** Replies and errors among {@link #queued}: only these count against the bound. */
    private int queuedReplies;
    private boolean sending;
    private boolean drainScheduled;
    private boolean closed;
    private long framesSent;
    private long quotesConflated;

    Subscriber(int symbolCount, FrameSink sink, Executor sender) {
        this.sink = sink;
        this.sender = sender;
        this.pendingQuote = new Frame[symbolCount];
        this.pendingOrder = new int[symbolCount];
        this.lastSentSeq = new long[symbolCount];
        this.subscribed = new boolean[symbolCount];
    }

    /** A live tick from the fan-out: queued while the client keeps up, conflated once it does not. */
    void offer(Frame quote) {
        int symbol = quote.symbolIndex();
        synchronized (this) {
            if (closed || !subscribed[symbol]) {
                return;
            }
            if (orderSize == 0 && live.size() < LIVE_BACKLOG) {
                live.add(quote);
            } else {
                // Falling behind: from here on, the latest quote of each symbol wins.
                Frame previous = pendingQuote[symbol];
                pendingQuote[symbol] = quote;
                if (previous == null) {
                    pendingOrder[(orderHead + orderSize++) % pendingOrder.length] = symbol;
                } else {
                    quotesConflated++;
                }
            }
            if (!claimDrain()) {
                return;
            }
        }
        sender.execute(this::drain);
    }

    /** Queues a reply (or error) frame behind everything queued before it. */
    public void send(String text) {
        enqueue(Frame.control(text), null, null);
    }

    /**
     * Starts the subscriptions, in order: the reply, then for each symbol its first frames (the
     * snapshot), all under this outbox's lock so that no live tick can overtake or slip between them.
     */
    void activate(int[] symbols, String reply, IntFunction<Frame[]> firstFrames) {
        enqueue(Frame.control(reply), symbols, firstFrames);
    }

    /** Ends the subscriptions; quotes of those symbols still waiting are dropped, then the reply is queued. */
    void deactivate(int[] symbols, String reply) {
        boolean scheduleDrain;
        synchronized (this) {
            for (int symbol : symbols) {
                if (subscribed[symbol]) {
                    subscribed[symbol] = false;
                    subscribedCount--;
                }
            }
            if (closed) {
                return;
            }
            queued.add(Frame.control(reply));
            queuedReplies++;
            scheduleDrain = claimDrain();
        }
        if (scheduleDrain) {
            sender.execute(this::drain);
        }
    }

    private void enqueue(Frame first, int[] symbols, IntFunction<Frame[]> firstFrames) {
        boolean scheduleDrain;
        boolean overflow = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            queued.add(first);
            queuedReplies++;
            if (symbols != null) {
                for (int symbol : symbols) {
                    if (!subscribed[symbol]) {
                        subscribed[symbol] = true;
                        subscribedCount++;
                    }
                    Collections.addAll(queued, firstFrames.apply(symbol));
                }
            }
            if (queuedReplies > MAX_QUEUED_FRAMES) {
                overflow = true;
                scheduleDrain = false;
            } else {
                scheduleDrain = claimDrain();
            }
        }
        if (overflow) {
            close(CLOSE_NOT_READING, "too many frames waiting: the client is not reading");
        } else if (scheduleDrain) {
            sender.execute(this::drain);
        }
    }

    /** Closes the connection; nothing more is sent. */
    public void close(int code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queued.clear();
            queuedReplies = 0;
            live.clear();
            Arrays.fill(pendingQuote, null);
            orderSize = 0;
        }
        sink.close(code, reason);
    }

    public synchronized boolean isSubscribed(int symbol) {
        return subscribed[symbol];
    }

    public synchronized int subscribedCount() {
        return subscribedCount;
    }

    synchronized int[] subscribedSymbols() {
        int[] symbols = new int[subscribedCount];
        for (int i = 0, n = 0; i < subscribed.length; i++) {
            if (subscribed[i]) {
                symbols[n++] = i;
            }
        }
        return symbols;
    }

    /** Frames handed to the transport so far. */
    public synchronized long framesSent() {
        return framesSent;
    }

    /** Live quotes replaced by a newer one of the same symbol before they could be sent. */
    public synchronized long quotesConflated() {
        return quotesConflated;
    }

    /** Frames waiting in this outbox (queued replies and snapshots, plus pending quotes). */
    public synchronized int framesWaiting() {
        return queued.size() + live.size() + orderSize;
    }

    /** True if the caller must schedule a drain: the outbox was idle. Call holding the lock. */
    private boolean claimDrain() {
        if (sending || drainScheduled) {
            return false;
        }
        drainScheduled = true;
        return true;
    }

    /**
     * Sends frames until the outbox is empty or a send is still in flight. A transport that
     * completes sends synchronously makes this loop, not recurse.
     */
    private void drain() {
        while (true) {
            Frame next;
            synchronized (this) {
                next = sending || closed ? null : nextFrame();
                if (next == null) {
                    drainScheduled = false;
                    return;
                }
                sending = true;
                framesSent++;
            }
            try {
                sink.send(next.text(), this::sent);
            } catch (RuntimeException e) {
                sent(e);
            }
        }
    }

    private void sent(Throwable failure) {
        boolean scheduleDrain;
        synchronized (this) {
            sending = false;
            if (failure != null) {
                // The connection is broken; the transport reports its close, which disconnects us.
                closed = true;
                return;
            }
            scheduleDrain = hasWaiting() && claimDrain();
        }
        if (scheduleDrain) {
            sender.execute(this::drain);
        }
    }

    private boolean hasWaiting() {
        return !queued.isEmpty() || !live.isEmpty() || orderSize > 0;
    }

    /**
     * The next frame worth sending: queued replies and snapshots first, then live quotes in order,
     * then conflated quotes, oldest symbol first.
     */
    private Frame nextFrame() {
        Frame frame;
        while ((frame = queued.poll()) != null) {
            if (!frame.isQuote()) {
                queuedReplies--;
                return frame;
            }
            if (take(frame)) {
                return frame;
            }
        }
        while ((frame = live.poll()) != null) {
            if (take(frame)) {
                return frame;
            }
        }
        while (orderSize > 0) {
            int symbol = pendingOrder[orderHead];
            orderHead = (orderHead + 1) % pendingOrder.length;
            orderSize--;
            frame = pendingQuote[symbol];
            pendingQuote[symbol] = null;
            if (frame != null && take(frame)) {
                return frame;
            }
        }
        return null;
    }

    /** Whether a quote may go out now: still subscribed, and newer than what the client has. */
    private boolean take(Frame quote) {
        int symbol = quote.symbolIndex();
        if (!subscribed[symbol] || quote.seq() <= lastSentSeq[symbol]) {
            return false;
        }
        lastSentSeq[symbol] = quote.seq();
        return true;
    }
}
