package io.quotecast.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a free loopback port in front of a server, that drops every connection through it on
 * request, as a lost network does: no close frame, a reset (linger 0). Its upstream port can change, to
 * put a restarted server (on a new free port) behind the same address. Two plain threads per connection:
 * a test has a few.
 */
public final class DroppingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile int upstreamPort;

    public DroppingProxy(int upstreamPort) {
        this.upstreamPort = upstreamPort;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "dropping-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The stream's URL through the proxy. */
    public URI stream() {
        return URI.create("ws://127.0.0.1:" + port() + "/quotes");
    }

    /** Where new connections go from now on (those open stay where they are until dropped). */
    public void upstream(int port) {
        this.upstreamPort = port;
    }

    /** How many connections the proxy has accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Resets every connection through the proxy, both sides, at once. */
    public void dropAll() {
        for (Socket socket : open) {
            reset(socket);
        }
        open.clear();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
        dropAll();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                return;
            }
            accepted.incrementAndGet();
            Socket server;
            try {
                server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 5_000);
            } catch (IOException upstreamDown) {
                reset(client); // a server that is not there yet: the client sees its connection fail, and retries
                continue;
            }
            open.add(client);
            open.add(server);
            pump(client, server);
            pump(server, client);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                }
            } catch (IOException dropped) {
                // one side went away: the other goes too
            }
            reset(to);
            reset(from);
        }, "dropping-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException alreadyClosed) {
            // fine: closed already
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
    }
}
