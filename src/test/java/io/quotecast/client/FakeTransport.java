package io.quotecast.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** A {@link Transport} driven by the test: it records each connection attempt, and the test plays the server. */
final class FakeTransport implements Transport {

    /** One connection attempt: what the client presented, what it sent, and the events to answer with. */
    static final class Attempt implements Transport.Connection {
        final URI uri;
        final String token;
        final Events events;
        final List<String> sent = new ArrayList<>();
        boolean closed;

        Attempt(URI uri, String token, Events events) {
            this.uri = uri;
            this.token = token;
            this.events = events;
        }

        @Override
        public void send(String text) {
            sent.add(text);
        }

        @Override
        public void close() {
            closed = true;
        }

        /** The server accepts the connection and says hello with {@code epoch}. */
        Attempt open(String epoch) {
            events.opened(this);
            events.text("{\"type\":\"hello\",\"protocol\":\"quotecast.v1\",\"server\":\"Quotecast/test\",\"symbols\":50,"
                    + "\"epoch\":\"" + epoch + "\",\"user\":null}");
            return this;
        }

        Attempt quote(String symbol, long seq, String flags) {
            events.text("{\"type\":\"quote\",\"symbol\":\"" + symbol + "\",\"price\":1.5,\"bid\":1.49,\"ask\":1.51,"
                    + "\"open\":1.4,\"high\":1.6,\"low\":1.3,\"prevClose\":1.45,\"change\":0.05,\"changePercent\":3.448,"
                    + "\"volume\":100,\"seq\":" + seq + ",\"ts\":1764000000000" + flags + "}");
            return this;
        }

        Attempt quote(String symbol, long seq) {
            return quote(symbol, seq, "");
        }

        void end(int code, String reason) {
            events.ended(Disconnect.closed(code, reason));
        }

        void refuse(int httpStatus) {
            events.ended(Disconnect.failed(httpStatus, "refused"));
        }

        String lastSent() {
            return sent.get(sent.size() - 1);
        }
    }

    final List<Attempt> attempts = new ArrayList<>();

    @Override
    public void open(URI uri, String token, Events events) {
        attempts.add(new Attempt(uri, token, events));
    }

    Attempt last() {
        return attempts.get(attempts.size() - 1);
    }
}
