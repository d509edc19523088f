package io.quotecast.testing;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Many cheap WebSocket clients, for the benchmarks and for the behaviour of a few hundred readers: plain NIO sockets, a couple of selector threads,
 * a hand-rolled RFC 6455 client handshake and frame reader that pulls {@code symbol}, {@code seq}
 * and {@code ts} out of each quote without building JSON objects. Ten thousand connections cost a
 * few megabytes and very little CPU, so the load generator leaves the machine to the server.
 *
 * <p>Each client subscribes in the URL ({@code ?symbols=A,B}), which both servers understand. A
 * "paused" client completes the handshake and then never reads its socket again.
 */
public final class LoadGenerator implements AutoCloseable {

    private static final byte[] QUOTE_PREFIX = "{\"type\":\"quote\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SYMBOL = "\"symbol\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TS = "\"ts\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Local source addresses to spread connections over, so ephemeral ports never run out. */
    private static final int SOURCE_ADDRESSES = 32;

    private final List<String> tickers;
    private final Map<String, Integer> symbolIndex = new HashMap<>();
    private final Loop[] loops;
    private final List<Conn> conns = new ArrayList<>();

    /** Quotes whose feed {@code ts} falls in [tsFrom, tsTo) are counted and timed. */
    private volatile long tsFrom = Long.MAX_VALUE;
    private volatile long tsTo = Long.MAX_VALUE;
    /** Quotes arriving while this is set are counted as arrivals (for throughput and CPU figures). */
    private volatile boolean countingArrivals;

    public LoadGenerator(List<String> tickers, int threads) {
        this.tickers = List.copyOf(tickers);
        for (int i = 0; i < tickers.size(); i++) {
            symbolIndex.put(tickers.get(i), i);
        }
        this.loops = new Loop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new Loop(i);
            loops[i].start();
        }
    }

    /**
     * Opens one connection to {@code path} per entry of {@code symbols} (catalog indexes), at most
     * {@code concurrentHandshakes} handshaking at once; returns when all are upgraded.
     */
    public void connect(int port, String path, List<int[]> symbols, boolean[] paused, int concurrentHandshakes, long timeoutMillis) {
        Semaphore permits = new Semaphore(concurrentHandshakes);
        AtomicInteger failed = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (int i = 0; i < symbols.size(); i++) {
            try {
                if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException("connections not upgraded within " + timeoutMillis + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            StringBuilder query = new StringBuilder();
            for (int s : symbols.get(i)) {
                query.append(query.length() == 0 ? "" : ",").append(tickers.get(s));
            }
            Conn conn = new Conn(loops[i % loops.length], symbols.get(i), paused[i], port, path, query.toString(), permits, failed);
            conns.add(conn);
            try {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (paused[i]) {
                    // A small receive window, so the server feels the pause within seconds, not minutes.
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                }
                channel.bind(new InetSocketAddress("127.0.0." + (2 + i % SOURCE_ADDRESSES), 0));
                channel.connect(new InetSocketAddress("127.0.0.1", port));
                conn.channel = channel;
            } catch (IOException e) {
                throw new UncheckedIOException("connection " + i, e);
            }
            conn.loop.register(conn);
        }
        try {
            if (!permits.tryAcquire(concurrentHandshakes, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("connections not upgraded within " + timeoutMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " connections failed to upgrade");
        }
    }

    /** From now on, count and time the quotes the feed produced in [fromMillis, toMillis). */
    public void timeWindow(long fromMillis, long toMillis) {
        tsTo = toMillis;
        tsFrom = fromMillis;
    }

    public void countArrivals(boolean on) {
        countingArrivals = on;
    }

    /** Everything counted so far, merged over the loops. */
    public Stats stats() {
        Stats total = new Stats(tickers.size());
        for (Loop loop : loops) {
            total.add(loop.call(loop::snapshot).join());
        }
        for (Conn conn : conns) {
            // Each conn's counters are written by its loop only; read through the loop's snapshot barrier above.
            if (conn.paused) {
                total.pausedConnections++;
                if (conn.closeCode > 0) {
                    total.pausedClosedByServer++;
                }
                continue;
            }
            total.readingConnections++;
            total.deliveredInWindow += conn.inWindow;
            total.jumps += conn.jumps;
            total.slowestTs = Math.min(total.slowestTs, conn.lastTs);
            if (conn.symbols.length == tickers.size()) {
                total.everySymbolConnections++;
                total.everySymbolDelivered += conn.inWindow;
                total.everySymbolJumps += conn.jumps;
            }
            for (int s : conn.symbols) {
                total.expectedSymbolSlots[s]++;
            }
            if (conn.closeCode > 0 || conn.lost) {
                total.readingClosed++;
            }
        }
        return total;
    }

    @Override
    public void close() {
        for (Conn conn : conns) {
            try {
                if (conn.channel != null) {
                    // Reset rather than close: no TIME_WAIT left on the loopback ports between phases.
                    conn.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                    conn.channel.close();
                }
            } catch (IOException ignored) {
                // already gone
            }
        }
        for (Loop loop : loops) {
            loop.interrupt();
            try {
                loop.join(2_000);
                loop.selector.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Load-generator figures, merged. */
    public static final class Stats {
        public final Histogram latencyMillis = new Histogram(600_000, 3);
        final long[] minSeq;
        final long[] maxSeq;
        final int[] expectedSymbolSlots;
        public long arrivals;
        public long deliveredInWindow;
        public long backwards;
        /** Live quotes of reading clients whose seq was more than one past the symbol's last: ticks missed. */
        public long jumps;
        /** Clients of every symbol: how many, the quotes of the window they got, and their seq jumps. */
        public int everySymbolConnections;
        public long everySymbolDelivered;
        public long everySymbolJumps;
        public int readingConnections;
        public int readingClosed;
        public int pausedConnections;
        public int pausedClosedByServer;
        /** The oldest feed {@code ts} among the reading clients' latest live quotes: how far the slowest has got. */
        public long slowestTs = Long.MAX_VALUE;

        public Stats(int symbols) {
            minSeq = new long[symbols];
            maxSeq = new long[symbols];
            expectedSymbolSlots = new int[symbols];
            Arrays.fill(minSeq, Long.MAX_VALUE);
        }

        public void add(Stats other) {
            latencyMillis.add(other.latencyMillis);
            for (int s = 0; s < minSeq.length; s++) {
                minSeq[s] = Math.min(minSeq[s], other.minSeq[s]);
                maxSeq[s] = Math.max(maxSeq[s], other.maxSeq[s]);
            }
            arrivals += other.arrivals;
            backwards += other.backwards;
        }

        /**
         * Quotes the reading clients should have had, from the feed's rate: every tick of the window
         * ({@code ticksPerSymbol} per symbol), for each symbol each of them holds.
         */
        public long expected(double ticksPerSymbol) {
            long slots = 0;
            for (int count : expectedSymbolSlots) {
                slots += count;
            }
            return Math.round(slots * ticksPerSymbol);
        }

        /** The same from the seqs the clients saw: blind to ticks that no client received in time. */
        public long expectedSeen() {
            long expected = 0;
            for (int s = 0; s < minSeq.length; s++) {
                if (maxSeq[s] >= minSeq[s]) {
                    expected += (maxSeq[s] - minSeq[s] + 1) * expectedSymbolSlots[s];
                }
            }
            return expected;
        }
    }

    private static final class Conn {
        final Loop loop;
        final int[] symbols;
        final boolean paused;
        final byte[] handshake;
        final Semaphore permits;
        final AtomicInteger failed;
        final long[] lastSeq;
        SocketChannel channel;
        SelectionKey key;
        boolean upgraded;
        boolean lost;
        int closeCode = -1;
        byte[] leftover = new byte[0];
        int leftoverLength;
        long inWindow;
        /** Live quotes whose seq was more than one past the last of the symbol: ticks this client never got. */
        long jumps;
        /** The feed ts of the latest live quote. */
        long lastTs;

        Conn(Loop loop, int[] symbols, boolean paused, int port, String path, String query, Semaphore permits, AtomicInteger failed) {
            this.loop = loop;
            this.symbols = symbols;
            this.paused = paused;
            this.permits = permits;
            this.failed = failed;
            this.lastSeq = new long[64];
            this.handshake = ("GET " + path + "?symbols=" + query + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final class Loop extends Thread {
        final Selector selector;
        final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        final ByteBuffer buffer = ByteBuffer.allocate(1 << 18);
        final Stats stats = new Stats(tickers.size());

        Loop(int index) {
            super("load-" + index);
            setDaemon(true);
            try {
                selector = Selector.open();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void register(Conn conn) {
            tasks.add(() -> {
                try {
                    conn.key = conn.channel.register(selector, SelectionKey.OP_CONNECT, conn);
                } catch (IOException e) {
                    fail(conn);
                }
            });
            selector.wakeup();
        }

        <T> CompletableFuture<T> call(Supplier<T> work) {
            CompletableFuture<T> result = new CompletableFuture<>();
            tasks.add(() -> result.complete(work.get()));
            selector.wakeup();
            return result;
        }

        Stats snapshot() {
            Stats copy = new Stats(tickers.size());
            copy.add(stats);
            return copy;
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                try {
                    selector.select(100);
                } catch (IOException e) {
                    return;
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn conn = (Conn) key.attachment();
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isConnectable()) {
                            conn.channel.finishConnect();
                            conn.channel.write(ByteBuffer.wrap(conn.handshake));
                            key.interestOps(SelectionKey.OP_READ);
                        } else if (key.isReadable()) {
                            read(conn);
                        }
                    } catch (IOException | RuntimeException e) {
                        lose(conn);
                    }
                }
                selector.selectedKeys().clear();
            }
        }

        private void fail(Conn conn) {
            if (!conn.upgraded) {
                conn.failed.incrementAndGet();
                conn.permits.release();
            }
        }

        private void lose(Conn conn) {
            fail(conn);
            conn.upgraded = true;
            conn.lost = true;
            if (conn.key != null) {
                conn.key.cancel();
            }
            try {
                conn.channel.close();
            } catch (IOException ignored) {
                // lost anyway
            }
        }

        private void read(Conn conn) throws IOException {
            ByteBuffer buf = buffer;
            buf.clear();
            buf.put(conn.leftover, 0, conn.leftoverLength);
            int n = conn.channel.read(buf);
            if (n < 0) {
                lose(conn);
                return;
            }
            byte[] a = buf.array();
            int end = buf.position();
            int pos = 0;
            if (!conn.upgraded) {
                int headerEnd = indexOf(a, 0, end, HEADER_END);
                if (headerEnd < 0) {
                    keep(conn, a, 0, end);
                    return;
                }
                if (!new String(a, 0, Math.min(end, 12), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
                    lose(conn);
                    return;
                }
                conn.upgraded = true;
                conn.permits.release();
                pos = headerEnd + HEADER_END.length;
                if (conn.paused) {
                    conn.key.interestOps(0);
                }
            }
            long now = System.currentTimeMillis();
            while (end - pos >= 2) {
                int opcode = a[pos] & 0x0F;
                int length = a[pos + 1] & 0x7F;
                int header = 2;
                if (length == 126) {
                    if (end - pos < 4) {
                        break;
                    }
                    length = ((a[pos + 2] & 0xFF) << 8) | (a[pos + 3] & 0xFF);
                    header = 4;
                } else if (length == 127) {
                    if (end - pos < 10) {
                        break;
                    }
                    length = (int) ByteBuffer.wrap(a, pos + 2, 8).getLong();
                    header = 10;
                }
                if (end - pos < header + length) {
                    break;
                }
                int from = pos + header;
                if (opcode == 1) {
                    text(conn, a, from, from + length, now);
                } else if (opcode == 8) {
                    conn.closeCode = length >= 2 ? ((a[from] & 0xFF) << 8) | (a[from + 1] & 0xFF) : 1005;
                } else if (opcode == 9) {
                    pong(conn, a, from, length);
                }
                pos = from + length;
            }
            keep(conn, a, pos, end);
        }

        /**
         * Answers the server's keepalive ping as every WebSocket client does, or the server drops the
         * connection (RFC 6455: a masked pong with the ping's payload, at most 125 bytes). Tiny, so a
         * non-blocking write takes it whole.
         */
        private void pong(Conn conn, byte[] a, int from, int length) throws IOException {
            ByteBuffer frame = ByteBuffer.allocate(6 + length);
            frame.put((byte) 0x8A).put((byte) (0x80 | length)).putInt(0);
            frame.put(a, from, length); // a zero mask leaves the payload as it is
            frame.flip();
            conn.channel.write(frame);
        }

        private void keep(Conn conn, byte[] a, int from, int to) {
            int length = to - from;
            if (conn.leftover.length < length) {
                conn.leftover = new byte[Math.max(length, 512)];
            }
            System.arraycopy(a, from, conn.leftover, 0, length);
            conn.leftoverLength = length;
        }

        private void text(Conn conn, byte[] a, int from, int to, long now) {
            if (!startsWith(a, from, to, QUOTE_PREFIX)) {
                return;
            }
            int symbolAt = indexOf(a, from, to, SYMBOL);
            int seqAt = indexOf(a, from, to, SEQ);
            int tsAt = seqAt < 0 ? -1 : indexOf(a, seqAt, to, TS);
            if (symbolAt < 0 || tsAt < 0) {
                return;
            }
            int symbolFrom = symbolAt + SYMBOL.length;
            int symbolTo = symbolFrom;
            while (symbolTo < to && a[symbolTo] != '"') {
                symbolTo++;
            }
            Integer symbol = symbolIndex.get(new String(a, symbolFrom, symbolTo - symbolFrom, StandardCharsets.US_ASCII));
            int tsFrom = tsAt + TS.length;
            int tsTo = tsFrom;
            long ts = 0;
            while (tsTo < to && a[tsTo] >= '0' && a[tsTo] <= '9') {
                ts = ts * 10 + (a[tsTo++] - '0');
            }
            if (symbol == null || (tsTo < to && a[tsTo] == ',')) {
                return; // a snapshot (or gap) marker follows ts: not a live tick
            }
            long seq = 0;
            for (int i = seqAt + SEQ.length; i < to && a[i] >= '0' && a[i] <= '9'; i++) {
                seq = seq * 10 + (a[i] - '0');
            }
            if (seq <= conn.lastSeq[symbol]) {
                stats.backwards++;
            } else if (conn.lastSeq[symbol] != 0 && seq > conn.lastSeq[symbol] + 1) {
                conn.jumps++;
            }
            conn.lastSeq[symbol] = seq;
            conn.lastTs = ts;
            if (countingArrivals) {
                stats.arrivals++;
            }
            if (ts >= LoadGenerator.this.tsFrom && ts < LoadGenerator.this.tsTo) {
                conn.inWindow++;
                stats.latencyMillis.recordValue(Math.min(600_000, Math.max(0, now - ts)));
                stats.minSeq[symbol] = Math.min(stats.minSeq[symbol], seq);
                stats.maxSeq[symbol] = Math.max(stats.maxSeq[symbol], seq);
            }
        }
    }

    private static boolean startsWith(byte[] a, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (a[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] a, int from, int to, byte[] pattern) {
        outer:
        for (int i = from; i <= to - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (a[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
