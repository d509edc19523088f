package io.quotecast.stream;

/**
 * One encoded text frame on its way to clients. A quote frame names its symbol (by catalog index)
 * and {@code seq}, so that an outbox can conflate it and never send a symbol's {@code seq} backwards;
 * any other frame (a reply, an error) has symbol index {@code -1}.
 *
 * <p>The same instance is handed to every subscriber of a tick: it is encoded once, and so is its
 * wire form ({@link #wire()}), for transports that can send it as it is.
 */
public final class Frame {

    static final long NO_POSITION = -1;

    private final String text;
    private final int symbolIndex;
    private final long seq;
    private final long position;
    private volatile byte[] wire;

    public Frame(String text, int symbolIndex, long seq) {
        this(text, symbolIndex, seq, NO_POSITION);
    }

    /** A live frame, numbered by the {@link FrameLog} that keeps it. */
    Frame(String text, int symbolIndex, long seq, long position) {
        this.text = text;
        this.symbolIndex = symbolIndex;
        this.seq = seq;
        this.position = position;
    }

    public static Frame control(String text) {
        return new Frame(text, -1, 0);
    }

    public String text() {
        return text;
    }

    public int symbolIndex() {
        return symbolIndex;
    }

    public long seq() {
        return seq;
    }

    /** Where the {@link FrameLog} keeps this frame; {@value #NO_POSITION} for any frame not in it. */
    long position() {
        return position;
    }

    public boolean isQuote() {
        return symbolIndex >= 0;
    }

    /**
     * The whole WebSocket frame as a server sends it ({@link WireFormat#textFrame}: FIN, text opcode,
     * unmasked length, UTF-8 payload), computed on first use and shared by every sender. Never modify it.
     */
    public byte[] wire() {
        byte[] bytes = wire;
        if (bytes == null) {
            wire = bytes = WireFormat.textFrame(text);
        }
        return bytes;
    }

    /** The wire bytes of {@code frames[0..count)} one after another: several frames for one write. */
    public static byte[] joinWire(Frame[] frames, int count) {
        byte[] joined = new byte[wireLength(frames, count)];
        int at = 0;
        for (int i = 0; i < count; i++) {
            byte[] wire = frames[i].wire();
            System.arraycopy(wire, 0, joined, at, wire.length);
            at += wire.length;
        }
        return joined;
    }

    /** How many wire bytes {@code frames[0..count)} take together. */
    public static int wireLength(Frame[] frames, int count) {
        int length = 0;
        for (int i = 0; i < count; i++) {
            length += frames[i].wire().length;
        }
        return length;
    }

    @Override
    public String toString() {
        return "Frame[symbolIndex=" + symbolIndex + ", seq=" + seq + ", text=" + text + "]";
    }
}
