package io.quotecast.websocket;

import io.quotecast.config.WritePath;
import jakarta.websocket.Session;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The write path of a deployment: makes the {@link SessionSink} of each new session. Chosen once, at
 * start, from {@code connection.writePath} and the container, and named in the start-up log.
 */
public interface SessionSinks {

    /** A sink for a new session. */
    SessionSink sinkFor(Session session);

    /** The path's name, as {@link SessionSink#writePath()} gives it. */
    String name();

    /** Whether it is the portable path, whose writes go through the container's stack and so gather over a longer window. */
    default boolean portable() {
        return name().equals(PortableSink.NAME);
    }

    /**
     * The Jakarta WebSocket API only; a send the client does not read fails after one and a half
     * {@code sendTimeoutMillis} (the stuck client timeout); keepalive pings are sent on {@code pings}
     * (the API's ping waits until written), and so are the flushers of batched writes, at most
     * {@value BatchFlushes#MAX_FLUSHERS} ({@link BatchFlushes}).
     */
    static SessionSinks portable(long sendTimeoutMillis, Executor pings) {
        return portable(sendTimeoutMillis, pings, true);
    }

    /**
     * The same, with the flushers' writes only if {@code batches}: batched writes where the container
     * batches, blocking ones where it does not ({@link WriteChoice}); without, every write is async.
     */
    static SessionSinks portable(long sendTimeoutMillis, Executor pings, boolean batches) {
        return portable(sendTimeoutMillis, pings, batches, BatchFlushes.on(pings));
    }

    /** The same, its writes flushed by {@code flushes}, which a deployment's sinks share. */
    private static SessionSinks portable(long sendTimeoutMillis, Executor pings, boolean batches, BatchFlushes flushes) {
        return new SessionSinks() {
            @Override
            public SessionSink sinkFor(Session session) {
                PortableSink sink = new PortableSink(session, sendTimeoutMillis, pings, flushes);
                sink.choice.batchingWorks = batches;
                sink.choice.blockingWhereUnbatched = batches;
                return sink;
            }

            @Override
            public String name() {
                return PortableSink.NAME;
            }
        };
    }

    /**
     * The container's own timeout for a send, from the stuck client timeout (see
     * {@code PortableSink.containerTimeout}): for an accelerated path that sets it on the session too.
     */
    static long containerSendTimeout(long stuckTimeoutMillis) {
        return PortableSink.containerTimeout(stuckTimeoutMillis);
    }

    /**
     * A container's accelerated path, {@code accelerated} making its sink or null where the internals
     * it needs are not reachable for a session; that session then gets the portable sink, and the
     * first such fallback is logged as a warning, so that it is never silent.
     */
    static SessionSinks accelerated(String name, Function<Session, SessionSink> accelerated, long sendTimeoutMillis,
                                    Executor pings) {
        return accelerated(name, accelerated, portable(sendTimeoutMillis, pings, false));
    }

    /** The same, with {@code fallback} making the sink of a session the accelerated path cannot take. */
    private static SessionSinks accelerated(String name, Function<Session, SessionSink> accelerated, SessionSinks fallback) {
        AtomicBoolean warned = new AtomicBoolean();
        return new SessionSinks() {
            @Override
            public SessionSink sinkFor(Session session) {
                SessionSink sink;
                try {
                    sink = accelerated.apply(session);
                } catch (LinkageError e) {
                    sink = null; // the container's classes are not visible to this application
                }
                if (sink != null) {
                    return sink;
                }
                if (warned.compareAndSet(false, true)) {
                    System.getLogger(SessionSinks.class.getName()).log(System.Logger.Level.WARNING,
                            "write path {0} is not available for a {1}; such sessions use the portable path",
                            name, session.getClass().getName());
                }
                return fallback.sinkFor(session);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /**
     * A container's path built on the portable one: the portable sink, each write's frames going in one
     * write through the container's own frame writer ({@code writers}). A session whose writer cannot be
     * had gets the plain portable sink, with the first such fallback logged as a warning ({@link #accelerated}).
     */
    static SessionSinks framedByContainer(String name, ContainerFrameWriter.Factory writers, long sendTimeoutMillis,
                                          Executor pings) {
        BatchFlushes flushes = BatchFlushes.on(pings);
        return accelerated(name, session -> {
            PortableSink sink = new PortableSink(session, sendTimeoutMillis, pings, flushes, name, writers);
            return sink.lacksFramedWriter() ? null : sink;
        }, portable(sendTimeoutMillis, pings, true, flushes));
    }

    /**
     * A container's accelerated write path, offered to a deployment: the path where
     * {@code serverContainer} is that container's, else null. Each is in its container's package
     * ({@code websocket.tyrus}, {@code websocket.undertow}, {@code websocket.jetty}), which alone names that container; it checks
     * the container by class name first, so that a server never loads another server's types.
     */
    @FunctionalInterface
    interface Accelerator {
        SessionSinks ifContainer(Object serverContainer, long sendTimeoutMillis, Executor pings);
    }

    /**
     * A deployment's path on the container whose {@code ServerContainer} this is: the first of
     * {@code accelerators} that is for this container, the portable path where none is or where
     * {@code setting} says {@link WritePath#PORTABLE}; that portable path batches if {@code portableBatches}.
     */
    static SessionSinks forContainer(Object serverContainer, WritePath setting, long sendTimeoutMillis, Executor pings,
                                     boolean portableBatches, Accelerator... accelerators) {
        if (setting != WritePath.PORTABLE) {
            for (Accelerator accelerator : accelerators) {
                SessionSinks sinks = accelerator.ifContainer(serverContainer, sendTimeoutMillis, pings);
                if (sinks != null) {
                    return sinks;
                }
            }
        }
        return portable(sendTimeoutMillis, pings, portableBatches);
    }

    /**
     * The pool the portable path pings and flushes batches on ({@link PingPool}): threads made as
     * needed (a ping to a client that stopped reading may wait as long as its container lets it, and
     * must not hold up the others' pings). Its owner shuts it down with the application.
     */
    static ExecutorService pingPool() {
        return PingPool.start();
    }
}
