package io.quotecast.stream;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The server's text frame, byte by byte (RFC 6455, 5.2), at each payload-length boundary, and frames joined. */
class WireFormatTest {

    @Test
    void aShortPayloadHasItsLengthInTheSecondByte() {
        byte[] frame = WireFormat.textFrame("hi");
        assertArrayEquals(new byte[] {(byte) 0x81, 2, 'h', 'i'}, frame);
        assertEquals(0x81, (WireFormat.FIN | WireFormat.OPCODE_TEXT));
    }

    @Test
    void eachLengthTakesTheHeaderItsSizeNeeds() {
        assertHeader(0, new byte[] {(byte) 0x81, 0});
        assertHeader(125, new byte[] {(byte) 0x81, 125});
        assertHeader(126, new byte[] {(byte) 0x81, 126, 0, 126});
        assertHeader(0xFFFF, new byte[] {(byte) 0x81, 126, (byte) 0xFF, (byte) 0xFF});
        assertHeader(0x10000, new byte[] {(byte) 0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0});
    }

    @Test
    void theLengthCountsUtf8BytesNotCharacters() {
        byte[] frame = WireFormat.textFrame("\u20ac");
        assertEquals(3, frame[1]);
        assertEquals(5, frame.length);
    }

    @Test
    void framesJoinedAreTheirWireBytesInOrder() {
        Frame a = Frame.control("a");
        Frame b = Frame.control("bc");
        Frame[] frames = {a, b, Frame.control("unused")};
        assertEquals(a.wire().length + b.wire().length, Frame.wireLength(frames, 2));
        assertArrayEquals(new byte[] {(byte) 0x81, 1, 'a', (byte) 0x81, 2, 'b', 'c'}, Frame.joinWire(frames, 2));
    }

    private static void assertHeader(int length, byte[] header) {
        String text = "x".repeat(length);
        byte[] frame = WireFormat.textFrame(text);
        assertEquals(header.length + length, frame.length, "length " + length);
        assertArrayEquals(header, Arrays.copyOf(frame, header.length), "header of " + length);
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(frame, header.length, frame.length));
    }
}
