package io.quotecast.stream;

/**
 * One encoded text frame on its way to clients. A quote frame names its symbol (by catalog index)
 * and {@code seq}, so that an outbox can conflate it and never send a symbol's {@code seq} backwards;
 * any other frame (a reply, an error) has symbol index {@code -1}.
 *
 * <p>The same instance is handed to every subscriber of a tick: it is encoded once.
 */
public record Frame(String text, int symbolIndex, long seq) {

    public static Frame control(String text) {
        return new Frame(text, -1, 0);
    }

    public boolean isQuote() {
        return symbolIndex >= 0;
    }
}
