package io.quotecast.ops;

import io.quotecast.stream.CloseCode;
import io.quotecast.stream.Frame;
import io.quotecast.stream.FrameSink;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a connection's counting sink counts, and that it passes everything through unchanged. */
class CountingSinkTest {

    /** The transport below: records what reaches it. */
    private static final class Recorded implements FrameSink {
        final List<String> sent = new ArrayList<>();
        String closed;

        @Override
        public boolean startsWritesAnywhere() {
            return true;
        }

        @Override
        public void send(String text, Consumer<Throwable> done) {
            sent.add(text);
            done.accept(null);
        }

        @Override
        public boolean gathers() {
            return true;
        }

        @Override
        public void send(Frame[] frames, int count, Consumer<Throwable> done) {
            for (int i = 0; i < count; i++) {
                sent.add(frames[i].text());
            }
            done.accept(null);
        }

        @Override
        public void close(CloseCode code, String reason) {
            closed = code.code() + " " + reason;
        }
    }

    @Test
    void countsQuotesAndBytesPerConnectionAndInTotal() {
        Traffic traffic = new Traffic();
        Recorded transport = new Recorded();
        CountingSink sink = new CountingSink(transport, traffic);
        Frame hello = Frame.control("{\"type\":\"hello\"}");
        Frame quote1 = new Frame("{\"type\":\"quote\",\"seq\":1}", 0, 1);
        Frame quote2 = new Frame("{\"type\":\"quote\",\"seq\":2}", 0, 2);
        sink.send(hello, failure -> { });
        sink.send(new Frame[] {quote1, quote2, null}, 2, failure -> { });
        sink.send("{\"type\":\"error\"}", failure -> { });
        assertEquals(List.of(hello.text(), quote1.text(), quote2.text(), "{\"type\":\"error\"}"), transport.sent);
        assertTrue(sink.gathers(), "the transport's own answer");
        assertTrue(sink.startsWritesAnywhere(), "the transport's own answer");
        long bytes = hello.text().length() + quote1.text().length() + quote2.text().length() + "{\"type\":\"error\"}".length();
        assertEquals(2, sink.quotesSent());
        assertEquals(bytes, sink.bytesSent());
        assertEquals(2, traffic.quotes());
        assertEquals(4, traffic.frames());
        assertEquals(bytes, traffic.bytes());
        sink.close(CloseCode.NORMAL, "bye");
        assertEquals("1000 bye", transport.closed);
    }

    @Test
    void withMetricsOffItStillCountsForTheCloseLogLine() {
        CountingSink sink = new CountingSink(new Recorded(), null);
        sink.send(new Frame("{\"q\":1}", 3, 1), failure -> { });
        assertEquals(1, sink.quotesSent());
        assertEquals(7, sink.bytesSent());
    }

    /**
     * FrameSink's capabilities are default methods: one CountingSink did not override would answer the
     * default whatever the transport below says (a gathering sink seen as one that does not gather), and
     * nothing else would notice. So every method of FrameSink, default or not, must be CountingSink's own.
     */
    @Test
    void itForwardsEveryMethodOfFrameSinkItselfNoneFallsToADefault() throws NoSuchMethodException {
        List<String> defaults = new ArrayList<>();
        for (Method method : FrameSink.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            Method own = CountingSink.class.getMethod(method.getName(), method.getParameterTypes());
            if (own.getDeclaringClass() != CountingSink.class) {
                defaults.add(method.toString());
            }
        }
        assertEquals(List.of(), defaults, "FrameSink methods CountingSink does not forward");
        assertTrue(Arrays.stream(FrameSink.class.getMethods()).anyMatch(Method::isDefault), "the check sees the defaults");
    }

    @Test
    void itAnswersEachCapabilityAsTheTransportBelowDoes() throws ReflectiveOperationException {
        // Each capability (a boolean question): a transport answering true to all of them, and one answering the defaults.
        FrameSink yes = (FrameSink) Proxy.newProxyInstance(FrameSink.class.getClassLoader(), new Class<?>[] {FrameSink.class},
                (proxy, method, args) -> method.getReturnType() == boolean.class ? Boolean.TRUE : null);
        FrameSink plain = new FrameSink() {
            @Override
            public void send(String text, Consumer<Throwable> done) {
                done.accept(null);
            }

            @Override
            public void close(CloseCode code, String reason) {
            }
        };
        int capabilities = 0;
        for (Method method : FrameSink.class.getMethods()) {
            if (method.getParameterCount() == 0 && method.getReturnType() == boolean.class) {
                capabilities++;
                assertEquals(true, method.invoke(new CountingSink(yes, null)), method.getName());
                assertEquals(method.invoke(plain), method.invoke(new CountingSink(plain, null)), method.getName());
            }
        }
        assertTrue(capabilities >= 2, "gathers and startsWritesAnywhere at least");
    }
}
