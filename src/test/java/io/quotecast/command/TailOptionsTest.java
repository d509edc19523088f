package io.quotecast.command;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code tail}'s arguments. */
class TailOptionsTest {

    @Test
    void aUrlAndSymbolsAreEnough() {
        assertEquals(new TailOptions(URI.create("ws://localhost:8080/quotes"), List.of("ACME", "GLOBX"), false, null),
                TailOptions.parse(new String[] {"ws://localhost:8080/quotes", "ACME", "GLOBX"}, null));
    }

    @Test
    void jsonAndTokenAreOptionsAnywhere() {
        TailOptions options = TailOptions.parse(new String[] {"--json", "wss://q/quotes", "ACME", "--token", "t1"}, null);
        assertEquals(true, options.json());
        assertEquals("t1", options.token());
    }

    @Test
    void theTokenComesFromTheEnvironmentUnlessGiven() {
        assertEquals("env", TailOptions.parse(new String[] {"ws://q/quotes", "ACME"}, "env").token());
        assertEquals("arg", TailOptions.parse(new String[] {"--token", "arg", "ws://q/quotes", "ACME"}, "env").token());
    }

    @Test
    void noSymbolIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TailOptions.parse(new String[] {"ws://q/quotes"}, null));
    }

    @Test
    void anHttpUrlIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TailOptions.parse(new String[] {"http://q/", "ACME"}, null));
    }

    @Test
    void anUnknownOptionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TailOptions.parse(new String[] {"--follow", "ws://q/quotes", "A"}, null));
    }
}
