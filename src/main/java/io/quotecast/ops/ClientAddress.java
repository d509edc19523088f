package io.quotecast.ops;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds a client's real address: the TCP peer, unless the peer is one of {@code server.trustedProxies},
 * in which case the right-most address of {@code X-Forwarded-For} that is not itself a trusted proxy.
 *
 * <p>Only a trusted peer's header is believed: anyone else can write any {@code X-Forwarded-For}
 * they like, and would otherwise pick the address their connections are counted against. Proxies
 * append, so the right-most entries are the ones our own proxies wrote; the first untrusted one
 * from the right is the client as our edge saw it. Entries are IP literals or CIDR ranges; names
 * are never resolved.
 */
public final class ClientAddress {

    /** The address of a client whose peer address the container does not tell. */
    public static final String UNKNOWN = "unknown";

    private final List<Range> trusted;

    public ClientAddress(List<String> trustedProxies) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : trustedProxies) {
            ranges.add(Range.parse(entry));
        }
        this.trusted = List.copyOf(ranges);
    }

    /**
     * The client's address. {@code peer}: the TCP peer's IP (null or blank if unknown);
     * {@code forwardedFor}: the request's {@code X-Forwarded-For} values, joined by commas (null if none).
     */
    public String resolve(String peer, String forwardedFor) {
        String client = peer == null || peer.isBlank() ? UNKNOWN : normalize(peer);
        if (forwardedFor == null || !isTrusted(client)) {
            return client;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = normalize(hops[i]);
            if (hop.isEmpty() || !Range.isLiteral(hop)) {
                // Garbage in a header our proxy passed on: stop at the last hop we could read.
                return client;
            }
            client = hop;
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    /** Whether any proxy is trusted at all. */
    public boolean trustsProxies() {
        return !trusted.isEmpty();
    }

    /** Whether the TCP peer {@code peer} is one of {@code server.trustedProxies}. */
    public boolean isTrustedProxy(String peer) {
        return peer != null && isTrusted(normalize(peer));
    }

    private boolean isTrusted(String address) {
        if (trusted.isEmpty() || !Range.isLiteral(address)) {
            return false;
        }
        byte[] bytes = Range.bytes(address);
        for (Range range : trusted) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** Strips spaces, IPv6 brackets and a zone; lower-cases IPv6. */
    private static String normalize(String address) {
        String value = address.strip();
        if (value.startsWith("[") && value.contains("]")) {
            value = value.substring(1, value.indexOf(']'));
        }
        int zone = value.indexOf('%');
        if (zone >= 0) {
            value = value.substring(0, zone);
        }
        return value.toLowerCase(Locale.ROOT);
    }

    /** An IP address or a CIDR range of them. */
    private record Range(byte[] network, int prefixBits) {

        static Range parse(String entry) {
            String value = entry.strip();
            int slash = value.indexOf('/');
            String address = slash < 0 ? value : value.substring(0, slash);
            if (!isLiteral(address)) {
                throw new IllegalArgumentException("server.trustedProxies: not an IP address or CIDR range: " + entry);
            }
            byte[] network = bytes(normalize(address));
            int bits = slash < 0 ? network.length * 8 : Integer.parseInt(value.substring(slash + 1));
            if (bits < 0 || bits > network.length * 8) {
                throw new IllegalArgumentException("server.trustedProxies: bad prefix length in " + entry);
            }
            return new Range(network, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }

        /** An IPv4 or IPv6 literal: resolving it never touches DNS. */
        static boolean isLiteral(String value) {
            if (value.isEmpty()) {
                return false;
            }
            if (value.indexOf(':') >= 0) {
                return value.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
            }
            String[] parts = value.split("\\.", -1);
            if (parts.length != 4) {
                return false;
            }
            for (String part : parts) {
                // A bad octet would make InetAddress look the text up as a host name.
                if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                        || Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }

        static byte[] bytes(String literal) {
            try {
                return InetAddress.getByName(literal).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address: " + literal, e);
            }
        }
    }
}
