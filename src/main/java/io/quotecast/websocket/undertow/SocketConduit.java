package io.quotecast.websocket.undertow;

import io.undertow.conduits.IdleTimeoutConduit;
import io.undertow.conduits.WriteTimeoutStreamSinkConduit;
import org.xnio.conduits.AbstractConduit;
import org.xnio.conduits.Conduit;
import org.xnio.conduits.StreamSinkConduit;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

/**
 * The conduit our own bytes are written to: below Undertow's write-timeout conduit, where the chain
 * is the one this was built on (idle timeout, write timeout, socket), else the top of the chain.
 *
 * <p>Why below it: for each write, the write-timeout conduit looks its timeout up in two option
 * maps and re-arms its deadline, work on the feed thread for every write (docs/benchmarks.md has
 * the profile); and its deadline is cleared only when Undertow suspends writes after a
 * flush of its own, which our writes never do: a client our writes had reached and that then got
 * nothing for longer than the timeout (90 s by default, longer than the default ping interval;
 * an operator may set it shorter) was closed right after its next write (WildFlyWriteTimeoutIT). A write the
 * socket does not take whole still arms that timeout: it resumes writes on the sink channel,
 * through the whole chain. The idle-timeout conduit is passed only while it has no timeout, since
 * a write through it is what keeps a connection with one from timing out.
 */
record SocketConduit(StreamSinkConduit conduit, IdleTimeoutConduit idle) {

    private static final System.Logger LOG = System.getLogger(SocketConduit.class.getName());

    private static final MethodHandle IDLE_SINK;
    private static final MethodHandle NEXT;

    static {
        MethodHandle idleSink = null;
        MethodHandle next = null;
        try {
            idleSink = MethodHandles.privateLookupIn(IdleTimeoutConduit.class, MethodHandles.lookup())
                    .findGetter(IdleTimeoutConduit.class, "sink", StreamSinkConduit.class);
            next = MethodHandles.privateLookupIn(AbstractConduit.class, MethodHandles.lookup())
                    .findGetter(AbstractConduit.class, "next", Conduit.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Undertow's timeout conduits not reachable; writing through them", e);
            idleSink = null;
        }
        IDLE_SINK = idleSink;
        NEXT = next;
    }

    static SocketConduit below(StreamSinkConduit top) {
        if (IDLE_SINK == null) {
            return new SocketConduit(top, null);
        }
        try {
            IdleTimeoutConduit idle = null;
            StreamSinkConduit conduit = top;
            if (conduit instanceof IdleTimeoutConduit idleTimeout) {
                idle = idleTimeout;
                conduit = (StreamSinkConduit) IDLE_SINK.invoke(idleTimeout);
            }
            if (conduit instanceof WriteTimeoutStreamSinkConduit writeTimeout) {
                return new SocketConduit((StreamSinkConduit) NEXT.invoke((AbstractConduit<?>) writeTimeout), idle);
            }
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.DEBUG, "Undertow's timeout conduits not reachable; writing through them", e);
        }
        return new SocketConduit(top, null);
    }
}
