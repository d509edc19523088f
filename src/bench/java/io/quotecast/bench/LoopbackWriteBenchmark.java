package io.quotecast.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The machine's floor under the fan-out (not a test): what one {@code write} of a gathered buffer
 * costs on loopback TCP, with nothing of Java's WebSocket stacks in the way. {@code bench.connections}
 * (1000) socket pairs, as at load A; one thread writes a buffer of {@code bench.sizes} bytes
 * (default 190, one quote frame, 570, three, and 2850, fifteen) to each connection in turn, at
 * {@code bench.rate} (33,000) writes a second, what Quotecast's writes at load A come to; another
 * thread reads every connection through one selector, as the load generator does. Prints the
 * writer's CPU per write (its own system call and, on loopback, the receiving side's TCP work and
 * wake-up, which the kernel does in the sender's context) and the reader's.
 *
 * <pre>mvn -o -q -Pbench test-compile exec:exec -Dbench.main=io.quotecast.bench.LoopbackWriteBenchmark</pre>
 */
public final class LoopbackWriteBenchmark {

    private LoopbackWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int connections = Integer.getInteger("bench.connections", 1000);
        double rate = Double.parseDouble(System.getProperty("bench.rate", "33000"));
        int seconds = Integer.getInteger("bench.loopbackSeconds", 10);
        String[] sizes = System.getProperty("bench.sizes", "190,570,2850").split(",");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("Loopback write benchmark, %s, %d cores, load average %s: %d connections, %.0f writes/s, %d s per size%n",
                LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME), Runtime.getRuntime().availableProcessors(),
                FanoutBenchmark.loadAverage(), connections, rate, seconds);
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0), connections);
            List<SocketChannel> writers = new ArrayList<>();
            List<SocketChannel> readers = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                SocketChannel server = listener.accept();
                server.setOption(StandardSocketOptions.TCP_NODELAY, true);
                server.configureBlocking(false);
                client.configureBlocking(false);
                writers.add(server);
                readers.add(client);
            }
            for (String size : sizes) {
                run(Integer.parseInt(size.strip()), writers, readers, rate, seconds, threads);
            }
            for (SocketChannel channel : writers) {
                channel.close();
            }
            for (SocketChannel channel : readers) {
                channel.close();
            }
        }
    }

    private static void run(int size, List<SocketChannel> writers, List<SocketChannel> readers, double rate, int seconds,
                            ThreadMXBean threads) throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong bytesRead = new AtomicLong();
        long[] readerCpu = new long[1];
        Selector selector = Selector.open();
        for (SocketChannel reader : readers) {
            reader.register(selector, SelectionKey.OP_READ);
        }
        Thread reader = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            long start = threads.getCurrentThreadCpuTime();
            try {
                while (!done.get()) {
                    if (selector.select(100) == 0) {
                        continue;
                    }
                    for (var keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
                        SelectionKey key = keys.next();
                        keys.remove();
                        int n;
                        while ((n = ((SocketChannel) key.channel()).read(buffer.clear())) > 0) {
                            bytesRead.addAndGet(n);
                        }
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            readerCpu[0] = threads.getCurrentThreadCpuTime() - start;
        }, "loopback-reader");
        reader.start();

        ByteBuffer payload = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            payload.put((byte) ('a' + i % 26));
        }
        long writes = 0;
        long partial = 0;
        long cpuStart = threads.getCurrentThreadCpuTime();
        long userStart = threads.getCurrentThreadUserTime();
        long started = System.nanoTime();
        long end = started + seconds * 1_000_000_000L;
        int next = 0;
        long now;
        while ((now = System.nanoTime()) < end) {
            long due = (long) ((now - started) / 1e9 * rate) - writes;
            for (long i = 0; i < due; i++) {
                SocketChannel channel = writers.get(next);
                next = next + 1 == writers.size() ? 0 : next + 1;
                if (channel.write(payload.clear()) < size) {
                    partial++;
                }
                writes++;
            }
            // A benchmark's pacing, not a test's synchronisation: the writer sleeps out the rest of the millisecond.
            LockSupport.parkNanos(1_000_000);
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        long user = threads.getCurrentThreadUserTime() - userStart;
        double elapsed = (System.nanoTime() - started) / 1e9;
        done.set(true);
        reader.join();
        selector.close();
        System.out.printf("  %5d B per write: %,d writes (%.0f/s, %d partial); writer %.2f us CPU per write (%.2f kernel), "
                        + "reader %.2f us per write; %.1f MB read%n",
                size, writes, writes / elapsed, partial, cpu / 1e3 / writes, (cpu - user) / 1e3 / writes,
                readerCpu[0] / 1e3 / writes, bytesRead.get() / 1e6);
    }
}
