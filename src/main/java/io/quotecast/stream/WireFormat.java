package io.quotecast.stream;

import java.nio.charset.StandardCharsets;

/**
 * The WebSocket wire format (RFC 6455, section 5.2), named once: the bits of a frame's first two
 * bytes, the opcodes, the payload-length markers, and the one frame the server builds itself, an
 * unmasked text frame ({@link Frame#wire()}). Close codes are {@link CloseCode}'s.
 *
 * <p>A byte format, not a transport: nothing here opens, writes or knows a connection. It is what
 * lets a tick's frame be built once and handed to every client as it is, by whichever write path
 * can take bytes already framed (the standalone server's, Tyrus's writer, Undertow's connection).
 */
public final class WireFormat {

    /** First byte: the final fragment of a message. */
    public static final int FIN = 0x80;
    /** First byte: the opcode's bits. */
    public static final int OPCODE_MASK = 0x0F;
    public static final int OPCODE_CONTINUATION = 0x0;
    public static final int OPCODE_TEXT = 0x1;
    public static final int OPCODE_BINARY = 0x2;
    public static final int OPCODE_CLOSE = 0x8;
    public static final int OPCODE_PING = 0x9;
    public static final int OPCODE_PONG = 0xA;
    /** Second byte: the payload is masked (every client frame, never a server's). */
    public static final int MASK = 0x80;
    /** Second byte: the payload length's bits. */
    public static final int LENGTH_MASK = 0x7F;
    /** The longest payload whose length fits in the second byte; also the longest control frame's payload. */
    public static final int MAX_SHORT_LENGTH = 125;
    /** Second byte's length: a 16-bit length follows. */
    public static final int LENGTH_16 = 126;
    /** Second byte's length: a 64-bit length follows. */
    public static final int LENGTH_64 = 127;
    /** The longest payload a 16-bit length holds. */
    public static final int MAX_16_BIT_LENGTH = 0xFFFF;
    /** The longest close reason, in UTF-8 bytes: a control frame's payload less the two-byte close code. */
    public static final int MAX_CLOSE_REASON_BYTES = MAX_SHORT_LENGTH - Short.BYTES;

    private static final int SHORT_HEADER = 2;
    private static final int HEADER_16 = SHORT_HEADER + Short.BYTES;
    private static final int HEADER_64 = SHORT_HEADER + Long.BYTES;

    private WireFormat() {
    }

    /** The whole frame a server sends for {@code text}: FIN, the text opcode, the unmasked length, the UTF-8 payload. */
    public static byte[] textFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int length = payload.length;
        int header = headerLength(length);
        byte[] frame = new byte[header + length];
        frame[0] = (byte) (FIN | OPCODE_TEXT);
        if (header == SHORT_HEADER) {
            frame[1] = (byte) length;
        } else if (header == HEADER_16) {
            frame[1] = LENGTH_16;
            frame[2] = (byte) (length >>> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = LENGTH_64;
            for (int i = 0; i < Long.BYTES; i++) {
                frame[SHORT_HEADER + i] = (byte) ((long) length >>> (Long.SIZE - Byte.SIZE * (i + 1)));
            }
        }
        System.arraycopy(payload, 0, frame, header, length);
        return frame;
    }

    /** The header's length in bytes for an unmasked payload of {@code length} bytes. */
    static int headerLength(int length) {
        return length <= MAX_SHORT_LENGTH ? SHORT_HEADER : length <= MAX_16_BIT_LENGTH ? HEADER_16 : HEADER_64;
    }
}
