package io.quotecast.testing;

import io.quotecast.config.Settings;
import io.quotecast.server.StandaloneServer;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** A real standalone server (Grizzly + Tyrus) on a free loopback port, for one test class. */
public final class RunningServer implements AutoCloseable {

    private final StandaloneServer server;

    private RunningServer(StandaloneServer server) {
        this.server = server;
    }

    /** Starts with the defaults, a free port and the given settings overriding them. */
    public static RunningServer start(String... nameValuePairs) {
        Map<String, String> settings = new HashMap<>();
        settings.put("server.host", "127.0.0.1");
        settings.put("server.port", "0");
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            settings.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return new RunningServer(StandaloneServer.start(Settings.with(settings)));
    }

    public StandaloneServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    public URI stream() {
        return stream("");
    }

    /** The stream URL with a query, e.g. {@code "?symbols=ACME"}. */
    public URI stream(String query) {
        return URI.create("ws://127.0.0.1:" + port() + "/quotes" + query);
    }

    public URI page(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    public TestClient connect(String... subprotocols) {
        return TestClient.connect(stream(), subprotocols);
    }

    @Override
    public void close() {
        server.close();
    }
}
