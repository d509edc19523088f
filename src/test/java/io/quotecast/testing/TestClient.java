package io.quotecast.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's {@link java.net.http.WebSocket}) that records every frame the
 * server sends, as JSON, so tests can wait for what a user would see, with a bounded timeout.
 *
 * <p>It holds both sides to the published contract ({@link Contract}, the served AsyncAPI document):
 * {@link #send} refuses a message the document does not describe, and a frame from the server that
 * does not conform fails the test at its next read or at {@link #close()}. Tests of bad input send
 * with {@link #sendMalformed}, {@link #sendRegardless} or {@link #sendInFragments}, which check nothing.
 */
public final class TestClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** One factory: Json.createReader looks the provider up again for every frame, which costs more than reading it. */
    private static final jakarta.json.JsonReaderFactory READERS = Json.createReaderFactory(java.util.Map.of());

    private final LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    private final List<JsonObject> history = java.util.Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile String closeReason;
    /** What the server sent that the contract does not describe; checked on the test's thread. */
    private final List<String> breaches = java.util.Collections.synchronizedList(new ArrayList<>());
    private final WebSocket socket;

    private TestClient(HttpClient http, URI uri, java.util.Map<String, String> headers, String... subprotocols) {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(TIMEOUT);
        headers.forEach(builder::header);
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        this.socket = builder.buildAsync(uri, new Listener()).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public static TestClient connect(URI uri, String... subprotocols) {
        return new TestClient(HttpClient.newHttpClient(), uri, java.util.Map.of(), subprotocols);
    }

    /** Connects sending these handshake headers (e.g. {@code Authorization}, {@code Origin}). */
    public static TestClient connect(URI uri, java.util.Map<String, String> headers, String... subprotocols) {
        return new TestClient(HttpClient.newHttpClient(), uri, headers, subprotocols);
    }

    /** Connects through {@code http}, e.g. one that trusts a test certificate for {@code wss://}. */
    public static TestClient connect(HttpClient http, URI uri, java.util.Map<String, String> headers, String... subprotocols) {
        return new TestClient(http, uri, headers, subprotocols);
    }

    public String subprotocol() {
        return socket.getSubprotocol();
    }

    public TestClient send(String text) {
        List<String> problems = Contract.served().checkClientMessage(text);
        if (!problems.isEmpty()) {
            throw new AssertionError("a client message outside the contract (webapp/asyncapi.json): " + problems);
        }
        return sendMalformed(text);
    }

    /** Sends a message whether or not the contract describes it: a test of what the server does with bad input. */
    public TestClient sendMalformed(String text) {
        socket.sendText(text, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        return this;
    }

    /** Sends a frame the server may close the connection over before it has all been written. */
    public TestClient sendRegardless(String text) {
        socket.sendText(text, true).exceptionally(failure -> null);
        return this;
    }

    /**
     * Sends one message as a sequence of text frames of {@code fragmentChars} characters each; stops
     * quietly when the server closes the connection part-way, as it may for an oversized message.
     */
    public TestClient sendInFragments(String text, int fragmentChars) {
        for (int i = 0; i < text.length(); i += fragmentChars) {
            boolean last = i + fragmentChars >= text.length();
            try {
                socket.sendText(text.substring(i, Math.min(text.length(), i + fragmentChars)), last)
                        .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
            } catch (java.util.concurrent.CompletionException closedPartWay) {
                break;
            }
        }
        return this;
    }

    public TestClient sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        return this;
    }

    /** The next frame the server sent, skipping none; fails after the timeout. */
    public JsonObject next() {
        return next(frame -> true);
    }

    /** The next frame matching {@code wanted}, skipping (but keeping in history) the others. */
    public JsonObject next(Predicate<JsonObject> wanted) {
        return next(wanted, TIMEOUT);
    }

    public JsonObject next(Predicate<JsonObject> wanted, Duration timeout) {
        assertConforming();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonObject frame = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (frame == null) {
                    throw new AssertionError("no matching frame within " + timeout + "; last frames: " + tail());
                }
                if (wanted.test(frame)) {
                    assertConforming();
                    return frame;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Every frame matching {@code wanted} that arrives during {@code window} (a bounded wait, from
     * now), in order; the others are skipped but kept in history.
     */
    public List<JsonObject> collect(Predicate<JsonObject> wanted, Duration window) {
        List<JsonObject> frames = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        try {
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                JsonObject frame = received.poll(left, TimeUnit.NANOSECONDS);
                if (frame != null && wanted.test(frame)) {
                    frames.add(frame);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertConforming();
        return frames;
    }

    /** The next frame of the given {@code type}. */
    public JsonObject next(String type) {
        return next(ofType(type));
    }

    public static Predicate<JsonObject> ofType(String type) {
        return frame -> type.equals(frame.getString("type", null));
    }

    public static Predicate<JsonObject> quoteOf(String symbol) {
        return frame -> "quote".equals(frame.getString("type", null)) && symbol.equals(frame.getString("symbol"));
    }

    /** Every frame received so far, in order. */
    public List<JsonObject> history() {
        assertConforming();
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** The close code the server sent; fails if none arrives within the timeout. */
    public int awaitClose() {
        return closeCode.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** What {@link #awaitCloseOrReset()} returns when the connection broke without a close frame. */
    public static final int RESET = -1;

    /**
     * The close code the server sent, or {@link #RESET} if the connection broke first: a client
     * still writing when the server closes can have the close frame destroyed by the TCP reset
     * its unread bytes cause. Fails if neither happens within the timeout.
     */
    public int awaitCloseOrReset() {
        try {
            return awaitClose();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof java.io.IOException) {
                return RESET;
            }
            throw e;
        }
    }

    /** The reason text of the server's close frame, or null before one arrived. */
    public String closeReason() {
        return closeReason;
    }

    public boolean isClosedByServer() {
        return closeCode.isDone();
    }

    /** Drops the TCP connection without a close frame: a pulled cable. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
        assertConforming();
    }

    /** Fails if the server sent a frame the contract does not describe. */
    public void assertConforming() {
        synchronized (breaches) {
            if (!breaches.isEmpty()) {
                throw new AssertionError("the server sent frames outside the contract (webapp/asyncapi.json): " + breaches);
            }
        }
    }

    private String tail() {
        List<JsonObject> all;
        synchronized (history) {
            all = List.copyOf(history);
        }
        return all.subList(Math.max(0, all.size() - 5), all.size()).toString();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                JsonValue value = READERS.createReader(new StringReader(text)).readValue();
                partial.setLength(0);
                List<String> problems = Contract.served().checkServerFrame(text);
                if (!problems.isEmpty() && breaches.size() < 10) {
                    breaches.addAll(problems);
                }
                history.add(value.asJsonObject());
                received.add(value.asJsonObject());
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
