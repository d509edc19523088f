package io.quotecast.server;

import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** server.host binds the interface it names, and only that one. */
@RealParts
class BindTest {

    /** Test servers listen on 127.0.0.1 (RunningServer). */
    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass();

    @Test
    void theServerAcceptsOnTheNamedAddress() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        }
    }

    /** Linux routes all of 127.0.0.0/8 to the loopback device: a socket bound to every interface would accept here. */
    @Test
    void anotherAddressOfTheSameMachineIsRefused() {
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.2", server.port()), 5_000);
            }
        });
    }
}
