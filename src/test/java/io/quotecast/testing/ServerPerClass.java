package io.quotecast.testing;

import io.quotecast.server.StandaloneServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;

/**
 * One {@link RunningServer} for all the tests of a class: started before the first, stopped after
 * the last. {@code @RegisterExtension static final ServerPerClass server = new ServerPerClass("feed.ticksPerSecond", "500");}
 */
public final class ServerPerClass implements BeforeAllCallback, AfterAllCallback, StreamServer {

    private final String[] settings;
    private RunningServer running;

    /** Settings as name, value pairs, overriding the defaults (the port is always a free one). */
    public ServerPerClass(String... settings) {
        this.settings = settings.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running = RunningServer.start(settings);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    private RunningServer running() {
        if (running == null) {
            throw new IllegalStateException("the server starts before the first test of the class");
        }
        return running;
    }

    public StandaloneServer server() {
        return running().server();
    }

    public int port() {
        return running().port();
    }

    public URI stream() {
        return running().stream();
    }

    @Override
    public URI stream(String query) {
        return running().stream(query);
    }

    @Override
    public double ticksPerSecond() {
        return server().quotecast().settings().feed().ticksPerSecond();
    }

    @Override
    public URI page(String path) {
        return running().page(path);
    }

    @Override
    public TestClient connect(String... subprotocols) {
        return running().connect(subprotocols);
    }
}
