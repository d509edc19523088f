package io.quotecast.ops;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ClientAddressTest {

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        ClientAddress addresses = new ClientAddress(List.of());
        assertEquals("203.0.113.9", addresses.resolve("203.0.113.9", "198.51.100.1"));
        assertFalse(addresses.trustsProxies());
    }

    @Test
    void anUntrustedPeerCannotPickItsAddress() {
        ClientAddress addresses = new ClientAddress(List.of("10.0.0.1"));
        assertEquals("203.0.113.9", addresses.resolve("203.0.113.9", "198.51.100.1"));
    }

    @Test
    void aTrustedProxysHeaderGivesTheRightMostUntrustedHop() {
        ClientAddress addresses = new ClientAddress(List.of("10.0.0.0/8", "192.168.1.1"));
        assertEquals("198.51.100.1", addresses.resolve("10.1.2.3", "198.51.100.1"));
        // the client wrote its own entry first; our proxies appended theirs
        assertEquals("198.51.100.1", addresses.resolve("10.1.2.3", "6.6.6.6, 198.51.100.1, 192.168.1.1"));
        assertEquals("10.0.0.5", addresses.resolve("10.1.2.3", "10.0.0.5, 10.0.0.6"), "all trusted: the left-most");
        assertEquals("10.1.2.3", addresses.resolve("10.1.2.3", "not-an-ip"), "garbage: the peer");
        assertEquals("10.1.2.3", addresses.resolve("10.1.2.3", null));
    }

    @Test
    void ipv6AndItsRanges() {
        ClientAddress addresses = new ClientAddress(List.of("fd00::/8"));
        assertEquals("2001:db8::1", addresses.resolve("fd00::1", "[2001:db8::1]"));
        assertEquals("2001:db8::2", addresses.resolve("2001:db8::2", "2001:db8::1"));
    }

    @Test
    void aTrustedProxyMustBeAnAddressNotAName() {
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("proxy.example.com")));
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("10.0.0.0/33")));
    }

    @Test
    void anUnknownPeerStaysUnknown() {
        assertEquals(ClientAddress.UNKNOWN, new ClientAddress(List.of()).resolve(null, "1.2.3.4"));
    }
}
