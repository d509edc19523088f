package io.quotecast.websocket;

import io.quotecast.protocol.ClientMessage;
import io.quotecast.protocol.ClientMessageDecoder;
import io.quotecast.protocol.ErrorCode;

/**
 * One connection's client messages, put together from the frames they arrive in, with the size
 * limit ({@code connection.maxFrameBytes}, in UTF-8 bytes) counted here as the frames come: a
 * message goes over it the moment its bytes so far do, whether it came as one frame or as many, and
 * nothing above the limit is ever held. The container's own message buffers hold a message at the
 * limit and no more ({@link #containerBufferSize}), so an oversized message is recognised by our
 * type ({@link ClientMessage.TooBig}) wherever the container hands frames over as they come, and
 * closed with 1009 by the container itself where it does not.
 *
 * <p>Not thread-safe: a container delivers one connection's frames one at a time, in order; and
 * RFC 6455 lets no data message start before the one in progress has ended.
 */
final class ClientFrames {

    private final int maxBytes;
    private final ClientMessageDecoder decoder = new ClientMessageDecoder();
    /** The fragments of the message in progress, or null when it is in one frame so far. */
    private StringBuilder pending;
    /** UTF-8 bytes of the message in progress. */
    private long bytes;
    /** The message in progress went over the limit: its remaining frames are dropped unread. */
    private boolean dropping;

    ClientFrames(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * The message buffer size to give the container: a whole message at the limit fits, in bytes and so
     * in chars, and it is small enough to allocate per connection (Tomcat does, whole).
     */
    int containerBufferSize() {
        return maxBytes;
    }

    /**
     * A text frame; {@code last}: it ends its message. Returns the message once whole, decoded (an
     * {@link ClientMessage.Invalid} if it is not a valid request); {@link ClientMessage.TooBig} as
     * soon as it passes the limit (once per message); null while more of it is to come.
     */
    ClientMessage text(String fragment, boolean last) {
        if (over(utf8Length(fragment), last)) {
            return tooBig();
        }
        if (dropping || !last) {
            if (!dropping) {
                if (pending == null) {
                    pending = new StringBuilder();
                }
                pending.append(fragment);
            }
            dropping &= !last;
            return null;
        }
        String message = pending == null ? fragment : pending.append(fragment).toString();
        reset();
        return decoder.decode(message);
    }

    /** A binary frame of {@code length} bytes: not part of quotecast.v1, answered once whole; above the limit, {@link ClientMessage.TooBig}. */
    ClientMessage binary(int length, boolean last) {
        if (over(length, last)) {
            return tooBig();
        }
        if (dropping || !last) {
            dropping &= !last;
            return null;
        }
        reset();
        return new ClientMessage.Invalid(ErrorCode.BAD_REQUEST,
                "binary frames are not part of quotecast.v1: send JSON objects as text frames", null);
    }

    /** Counts a frame in; true when it takes a message not yet over the limit over it. */
    private boolean over(long frameBytes, boolean last) {
        if (dropping) {
            return false;
        }
        bytes += frameBytes;
        if (bytes <= maxBytes) {
            return false;
        }
        pending = null;
        dropping = !last;
        return true;
    }

    private ClientMessage tooBig() {
        long seen = bytes;
        bytes = 0;
        return new ClientMessage.TooBig(seen, maxBytes);
    }

    private void reset() {
        pending = null;
        bytes = 0;
    }

    /** The UTF-8 size of {@code text}; exact even when a surrogate pair is split between two frames. */
    static long utf8Length(CharSequence text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800 || Character.isSurrogate(c)) {
                bytes += 2; // a surrogate is half of a 4-byte character
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
