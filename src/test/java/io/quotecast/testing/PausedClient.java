package io.quotecast.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client that completes the WebSocket handshake over a plain socket, with a small receive buffer,
 * and then reads nothing until told to: a client that stopped reading, as the server sees it.
 */
public final class PausedClient implements AutoCloseable {

    /** What {@link #readUntilClose(Duration)} returns when the connection ended without a close frame. */
    public static final int RESET = -1;
    /** What {@link #readUntilClose(Duration)} returns when nothing ended the connection in time. */
    public static final int STILL_OPEN = -2;

    private final Socket socket;

    private PausedClient(Socket socket) {
        this.socket = socket;
    }

    /** Connects to {@code stream} (e.g. {@code ws://127.0.0.1:port/quotes?symbols=*}) and reads only the handshake. */
    public static PausedClient connect(URI stream) {
        try {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096); // before connect, so the advertised window stays small
            socket.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
            socket.connect(new InetSocketAddress(stream.getHost(), stream.getPort()), (int) TestClient.TIMEOUT.toMillis());
            String path = stream.getRawPath() + (stream.getRawQuery() == null ? "" : "?" + stream.getRawQuery());
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + stream.getHost() + ":" + stream.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            while (!header.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("closed during the handshake: " + header);
                }
                header.write(b);
            }
            if (!header.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
                throw new IllegalStateException("handshake refused: " + header);
            }
            return new PausedClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends a text frame (masked, as RFC 6455 requires of clients) without reading anything;
     * false once the server has closed the connection under it.
     */
    public boolean sendText(String text) {
        try {
            socket.getOutputStream().write(maskedFrame(0x1, text.getBytes(StandardCharsets.UTF_8)));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A final client frame of {@code opcode}, masked as RFC 6455 requires of every client frame. */
    private static byte[] maskedFrame(int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    /**
     * Sends {@code text} over and over, reading nothing, from a thread of its own, until {@code most}
     * frames are sent, the server closes the connection, or the server has taken nothing for
     * {@code stall} (it stopped reading: it has given up on this client, which a close frame waiting
     * behind the unread replies then tells). Returns how many were sent. The writes are blocking: on
     * the calling thread, one into a server that stopped reading would never return.
     */
    public int flood(String text, int most, Duration stall) {
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();
        Thread sender = new Thread(() -> {
            while (sent.get() < most && sendText(text)) {
                sent.incrementAndGet();
            }
            over.set(true);
        }, "paused-client-flood");
        sender.setDaemon(true);
        sender.start();
        int[] last = {-1};
        long[] lastProgress = {System.nanoTime()};
        Eventually.await("the flood ends", () -> {
            int now = sent.get();
            if (now != last[0]) {
                last[0] = now;
                lastProgress[0] = System.nanoTime();
            }
            return over.get() || System.nanoTime() - lastProgress[0] > stall.toNanos();
        }, Duration.ofSeconds(120));
        return sent.get();
    }

    /**
     * Starts reading again and skips every frame until the server's close frame; returns its code,
     * {@link #RESET} if the connection ends without one, {@link #STILL_OPEN} if {@code timeout} passes.
     */
    public int readUntilClose(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                ServerFrame frame = readFrame(in);
                if (frame.opcode() == 8) {
                    byte[] payload = frame.payload();
                    return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                }
            }
            return STILL_OPEN;
        } catch (SocketTimeoutException e) {
            return STILL_OPEN;
        } catch (IOException e) {
            return RESET; // end of stream or reset
        }
    }

    /**
     * Starts reading again and reads until nothing has come for {@code quiet}, or {@code most}
     * bytes have; returns the bytes read, or -1 if the server closed the connection (a close frame,
     * or the end of the stream) first.
     */
    public long readUntilQuiet(Duration quiet, long most) {
        long bytes = 0;
        try {
            socket.setSoTimeout((int) quiet.toMillis());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                ServerFrame frame = readFrame(in);
                if (frame.opcode() == 8) {
                    return -1;
                }
                bytes += frame.payload().length;
                if (bytes >= most) {
                    return bytes;
                }
            }
        } catch (SocketTimeoutException e) {
            return bytes;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Starts reading again and returns the next {@code count} text frames the server sent, in
     * order (fewer if the server closes the connection first). A client that reads is a client
     * like any other: it answers each ping it reads with a pong, as every WebSocket library does,
     * so that the server's keepalive does not close it while it catches up (how long that takes
     * depends on how much the container buffered for it, not on what the caller checks).
     */
    public java.util.List<String> readTextFrames(int count) {
        java.util.List<String> texts = new java.util.ArrayList<>(count);
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (texts.size() < count) {
                ServerFrame frame = readFrame(in);
                if (frame.opcode() == 8) {
                    return texts;
                }
                if (frame.opcode() == 9) {
                    socket.getOutputStream().write(maskedFrame(0xA, frame.payload()));
                }
                if (frame.opcode() == 1) {
                    texts.add(new String(frame.payload(), StandardCharsets.UTF_8));
                }
            }
            return texts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One unmasked frame as a server sends it (RFC 6455): its opcode and payload. */
    private record ServerFrame(int opcode, byte[] payload) {
    }

    private static ServerFrame readFrame(DataInputStream in) throws IOException {
        int first = in.readUnsignedByte();
        long length = in.readUnsignedByte() & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new ServerFrame(first & 0x0F, payload);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // gone already
        }
    }
}
