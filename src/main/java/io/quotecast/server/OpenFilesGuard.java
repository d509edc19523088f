package io.quotecast.server;

import io.quotecast.ops.ConnectionLimits;
import io.quotecast.ops.RateLimitedWarning;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.IOEvent;
import org.glassfish.grizzly.IOStrategy;
import org.glassfish.grizzly.Transport;
import org.glassfish.grizzly.nio.transport.TCPNIOServerConnection;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the listener does when the kernel refuses to accept because the process is out of file descriptors
 * (EMFILE). Grizzly's acceptor swallows that error and the pending connection stays in the backlog, so the
 * selector wakes at once for it again: a core spent spinning, nothing logged, and every knocking client
 * waiting for its own timeout. Here instead:
 *
 * <ul>
 *   <li>one spare descriptor is kept open (on {@code /dev/null}); on EMFILE it is let go, and the pending
 *       connections are accepted one at a time, answered 503 with {@code Retry-After} (on https/wss: closed,
 *       plain bytes would mean nothing before a TLS handshake) and closed, then the spare is taken again;</li>
 *   <li>where that cannot be done (the spare could not be taken again: something else took the descriptor),
 *       accepting pauses for {@value #BACKOFF_MILLIS} ms, so the selector does not spin;</li>
 *   <li>each refusal counts in {@code quotecast_connections_refused_total{reason="open_files"}}, and a
 *       warning is logged, at most once every {@value #WARNING_SECONDS} s.</li>
 * </ul>
 */
final class OpenFilesGuard {

    private static final System.Logger LOG = System.getLogger(OpenFilesGuard.class.getName());

    /** How long accepting pauses when a refusal could not be answered: short next to a client's patience. */
    static final long BACKOFF_MILLIS = 100;
    /** The warning's interval. */
    static final long WARNING_SECONDS = 5;
    /** Pending connections answered per wake-up, so other listeners' events on the selector thread wait little. */
    private static final int BATCH = 64;

    private final ConnectionLimits limits;
    private final boolean tls;
    private final ScheduledExecutorService timer;
    private final RateLimitedWarning warning = new RateLimitedWarning(TimeUnit.SECONDS.toNanos(WARNING_SECONDS), System::nanoTime);
    private final byte[] busy = HandshakeDeadline.busy("the server is out of file descriptors: try again later");
    private final ByteBuffer drain = ByteBuffer.allocate(4096);
    private FileChannel spare;

    OpenFilesGuard(ConnectionLimits limits, boolean tls, ScheduledExecutorService timer) {
        this.limits = limits;
        this.tls = tls;
        this.timer = timer;
        this.spare = reserve();
    }

    /**
     * Grizzly's worker-thread I/O strategy with one change: an accept that fails with EMFILE comes here. (The
     * transport class is final; the strategy is the one place between the selector and the accept that is ours.)
     */
    IOStrategy strategy() {
        return new Strategy(this, WorkerThreadIOStrategy.getInstance());
    }

    /** Whether {@code e} is the kernel saying the process (EMFILE) or the system (ENFILE) has no descriptor left. */
    static boolean outOfFiles(IOException e) {
        return e.getMessage() != null && e.getMessage().contains("Too many open files");
    }

    /** The accept failed with EMFILE: answer what waits, or pause, and say so. Runs on the selector thread. */
    private synchronized void refuse(TCPNIOServerConnection server) {
        int refused = 0;
        boolean answered = false;
        if (spare != null) {
            close(spare);
            spare = null;
            ServerSocketChannel channel = (ServerSocketChannel) server.getChannel();
            try {
                SocketChannel pending;
                while (refused < BATCH && (pending = channel.accept()) != null) {
                    refused++;
                    answer(pending);
                }
                answered = true;
            } catch (IOException e) {
                // the freed descriptor went elsewhere before this accept: pause below
            }
            spare = reserve();
        }
        if (!answered || spare == null) {
            refused = Math.max(refused, 1); // the one waiting, not answered yet
            pause(server);
        }
        for (int i = 0; i < refused; i++) {
            limits.refusedEarly(ConnectionLimits.Reason.OPEN_FILES);
        }
        long occurrences = 0;
        for (int i = 0; i < refused; i++) {
            occurrences += warning.occurred();
        }
        if (occurrences > 0) {
            LOG.log(System.Logger.Level.WARNING, "out of file descriptors (the process's open-file limit): refused "
                    + occurrences + " connection(s) since the last warning" + (answered ? " with 503" : "; accepting paused for "
                    + BACKOFF_MILLIS + " ms") + ". Lower server.maxConnections or raise the limit (ulimit -n, systemd LimitNOFILE=,"
                    + " docker --ulimit nofile=N:N); see docs/operations.md");
        }
    }

    private void answer(SocketChannel pending) {
        try (pending) {
            pending.configureBlocking(false);
            if (!tls) {
                pending.write(ByteBuffer.wrap(busy)); // a fresh socket's send buffer takes it whole
                pending.shutdownOutput();
            }
            // read what the client sent already: closing over unread bytes would reset the connection, 503 and all
            drain.clear();
            pending.read(drain);
        } catch (IOException e) {
            // the client is gone already: nothing to answer
        }
    }

    private void pause(TCPNIOServerConnection server) {
        try {
            server.disableIOEvent(IOEvent.SERVER_ACCEPT);
            timer.schedule(() -> resume(server), BACKOFF_MILLIS, TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot pause accepting", e);
        }
    }

    private synchronized void resume(TCPNIOServerConnection server) {
        if (spare == null) {
            spare = reserve(); // a connection closed meanwhile may have left one
        }
        try {
            if (server.isOpen()) {
                server.enableIOEvent(IOEvent.SERVER_ACCEPT);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot resume accepting", e);
        }
    }

    private static FileChannel reserve() {
        try {
            return FileChannel.open(Path.of("/dev/null"));
        } catch (IOException | RuntimeException e) {
            return null; // out of descriptors now, or no /dev/null: pausing alone must do
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing /dev/null does not fail in any way that matters here
        }
    }

    /** Lets go of the spare descriptor. */
    synchronized void close() {
        if (spare != null) {
            close(spare);
            spare = null;
        }
    }

    /** Delegates every event but the listener's accept, which it runs itself, on the selector thread, as Grizzly does. */
    private record Strategy(OpenFilesGuard guard, IOStrategy delegate) implements IOStrategy {

        @Override
        public boolean executeIoEvent(Connection connection, IOEvent ioEvent) throws IOException {
            return executeIoEvent(connection, ioEvent, true);
        }

        @Override
        public boolean executeIoEvent(Connection connection, IOEvent ioEvent, boolean isIoEventEnabled) throws IOException {
            if (ioEvent == IOEvent.SERVER_ACCEPT && connection instanceof TCPNIOServerConnection server) {
                try {
                    server.onAccept();
                    return true;
                } catch (IOException e) {
                    if (outOfFiles(e)) {
                        guard.refuse(server);
                        return true;
                    }
                    // anything else: Grizzly's own handling, which tries once more and reports it
                }
            }
            return delegate.executeIoEvent(connection, ioEvent, isIoEventEnabled);
        }

        @Override
        public Executor getThreadPoolFor(Connection connection, IOEvent ioEvent) {
            return delegate.getThreadPoolFor(connection, ioEvent);
        }

        @Override
        public ThreadPoolConfig createDefaultWorkerPoolConfig(Transport transport) {
            return delegate.createDefaultWorkerPoolConfig(transport);
        }
    }
}
