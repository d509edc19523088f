package io.quotecast.websocket;

import io.quotecast.protocol.ClientMessage;
import io.quotecast.protocol.ErrorCode;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The size limit, counted as frames arrive, the same however a client splits its message. */
class ClientFramesTest {

    private static final String LIST = "{\"action\":\"list\"}";

    private final ClientFrames frames = new ClientFrames(64);

    @Test
    void aWholeMessageInOneFrameIsDecoded() {
        assertInstanceOf(ClientMessage.ListSymbols.class, frames.text(LIST, true));
    }

    @Test
    void fragmentsArePutTogetherAndDecodedWithTheLast() {
        assertNull(frames.text("{\"action\":", false));
        assertNull(frames.text("\"li", false));
        assertInstanceOf(ClientMessage.ListSymbols.class, frames.text("st\"}", true));
    }

    @Test
    void aMessageOfExactlyTheLimitPasses() {
        String padded = "{\"action\":\"list\",\"p\":\"" + "x".repeat(64 - 24) + "\"}";
        assertEquals(64, padded.length());
        assertInstanceOf(ClientMessage.ListSymbols.class, frames.text(padded, true));
    }

    @Test
    void oneFrameAboveTheLimitIsTooBig() {
        ClientMessage.TooBig tooBig = assertInstanceOf(ClientMessage.TooBig.class, frames.text("x".repeat(65), true));
        assertEquals(65, tooBig.bytes());
        assertEquals(64, tooBig.limit());
    }

    @Test
    void fragmentsAreTooBigAtTheOneThatPassesTheLimitAndTheRestIsDropped() {
        assertNull(frames.text("x".repeat(40), false));
        assertInstanceOf(ClientMessage.TooBig.class, frames.text("x".repeat(40), false), "at 80 bytes, before the last frame");
        assertNull(frames.text("x".repeat(1000), false), "the rest of the message is dropped, not counted again");
        assertNull(frames.text("x", true));
        assertInstanceOf(ClientMessage.ListSymbols.class, frames.text(LIST, true), "the next message starts from nothing");
    }

    @Test
    void theLimitIsInUtf8Bytes() {
        // 22 characters of 3 bytes each: 66 bytes in 22 chars; and a 4-byte character split between two frames
        assertInstanceOf(ClientMessage.TooBig.class, frames.text("\u20ac".repeat(22), true));
        assertEquals(4, ClientFrames.utf8Length("\ud83d") + ClientFrames.utf8Length("\ude00"));
        assertEquals(2 + 3 + 4, ClientFrames.utf8Length("\u00e9\u20ac\ud83d\ude00"));
    }

    @Test
    void aBinaryMessageIsABadRequestOnceWholeAndTooBigAboveTheLimit() {
        assertNull(frames.binary(10, false));
        ClientMessage.Invalid invalid = assertInstanceOf(ClientMessage.Invalid.class, frames.binary(10, true));
        assertEquals(ErrorCode.BAD_REQUEST, invalid.code());
        assertInstanceOf(ClientMessage.TooBig.class, frames.binary(65, false));
        assertNull(frames.binary(100, true));
        assertInstanceOf(ClientMessage.ListSymbols.class, frames.text(LIST, true));
    }
}
