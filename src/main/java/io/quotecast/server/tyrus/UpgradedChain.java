package io.quotecast.server.tyrus;

import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.attributes.AttributeHolder;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.filterchain.TransportFilter;
import org.glassfish.grizzly.memory.ByteBufferArray;
import org.glassfish.tyrus.container.grizzly.client.TaskProcessor;
import org.glassfish.tyrus.core.CloseReasons;
import org.glassfish.tyrus.spi.ReadHandler;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The filter chain of a connection once its WebSocket handshake is done: the transport, then the
 * connection's Tyrus read handler. Moving the connection onto it lets Grizzly's HTTP objects of the
 * handshake go (the parsed request with its headers, the response, their parsing state: about
 * 9 KiB a connection, measured with the benchmark's class histogram), which the HTTP chain keeps
 * for as long as the connection lives only to pass its WebSocket bytes on unchanged.
 *
 * <p>It does what Tyrus's {@code GrizzlyServerFilter} does for an upgraded connection: bytes go to
 * the connection's read handler through its task queue (in order, one task at a time), and a
 * connection that ends without a close frame closes its session as abnormally closed. It finds
 * both under the connection attributes that filter set. Only without TLS: with it, the bytes must
 * pass the chain's SSL filter.
 */
public final class UpgradedChain {

    /** The attributes {@code GrizzlyServerFilter} sets on an upgraded connection (Tyrus 2.1.5). */
    static final String TYRUS_CONNECTION = "org.glassfish.tyrus.container.grizzly.server.GrizzlyServerFilter.Connection";
    static final String TYRUS_TASKS = TaskProcessor.class.getName() + ".TaskProcessor";
    private static final Set<String> KEPT = Set.of(TYRUS_CONNECTION, TYRUS_TASKS);

    private final FilterChain chain = FilterChainBuilder.stateless()
            .add(new TransportFilter())
            .add(new FramesFilter())
            .build();
    private final LongAdder adopted = new LongAdder();

    /**
     * Moves a connection onto this chain, as its handshake's 101 goes out: every read from then on comes
     * here. What is still being done with the handshake's own bytes finishes on the HTTP chain.
     */
    public void moveOnto(Connection<?> connection) {
        connection.setProcessor(chain);
    }

    /**
     * Once the handshake's read is wholly processed: lets the HTTP chain's objects of a connection moved
     * onto this chain go. Nothing reads them any more: reads since the move come here. A connection that
     * was not upgraded after all is left as it is.
     */
    public void release(Connection<?> connection) {
        AttributeHolder attributes = connection.getAttributes();
        if (connection.getProcessor() != chain || !(attributes.getAttribute(TYRUS_CONNECTION) instanceof org.glassfish.tyrus.spi.Connection)
                || !(attributes.getAttribute(TYRUS_TASKS) instanceof TaskProcessor)) {
            return;
        }
        for (String name : List.copyOf(attributes.getAttributeNames())) {
            if (!KEPT.contains(name)) {
                attributes.removeAttribute(name);
            }
        }
        adopted.increment();
    }

    /** Connections moved onto this chain since the start: a test's evidence that Tyrus still sets what it reads. */
    public long adopted() {
        return adopted.sum();
    }

    private static final class FramesFilter extends BaseFilter {

        @Override
        public NextAction handleRead(FilterChainContext ctx) {
            Buffer buffer = ctx.getMessage();
            AttributeHolder attributes = ctx.getConnection().getAttributes();
            Object tyrus = attributes.getAttribute(TYRUS_CONNECTION);
            Object tasks = attributes.getAttribute(TYRUS_TASKS);
            if (tyrus instanceof org.glassfish.tyrus.spi.Connection connection && tasks instanceof TaskProcessor processor) {
                ReadHandler reader = connection.getReadHandler();
                if (!buffer.isComposite()) {
                    processor.processTask(new Read(reader, buffer.toByteBuffer()));
                } else {
                    ByteBufferArray array = buffer.toByteBufferArray();
                    ByteBuffer[] parts = array.getArray();
                    for (int i = 0; i < array.size(); i++) {
                        processor.processTask(new Read(reader, parts[i]));
                    }
                    array.recycle();
                }
            }
            return ctx.getStopAction();
        }

        @Override
        public NextAction handleClose(FilterChainContext ctx) {
            AttributeHolder attributes = ctx.getConnection().getAttributes();
            Object tyrus = attributes.getAttribute(TYRUS_CONNECTION);
            Object tasks = attributes.getAttribute(TYRUS_TASKS);
            if (tyrus instanceof org.glassfish.tyrus.spi.Connection connection && tasks instanceof TaskProcessor processor) {
                processor.processTask(new TaskProcessor.Task() {
                    @Override
                    public void execute() {
                        connection.close(CloseReasons.CLOSED_ABNORMALLY.getCloseReason());
                        attributes.removeAttribute(TYRUS_CONNECTION);
                        attributes.removeAttribute(TYRUS_TASKS);
                    }
                });
            }
            return ctx.getStopAction();
        }
    }

    private static final class Read extends TaskProcessor.Task {

        private final ReadHandler reader;
        private final ByteBuffer bytes;

        Read(ReadHandler reader, ByteBuffer bytes) {
            this.reader = reader;
            this.bytes = bytes;
        }

        @Override
        public void execute() {
            reader.handle(bytes);
        }
    }
}
