package io.quotecast.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which browser origins may open a stream: the server's own (the {@code Origin} names the host the
 * request was sent to), those listed in {@code security.allowedOrigins}, or all with {@code *}.
 * A request with no {@code Origin} comes from a program, not a browser page, and is not refused for it:
 * the header protects a browser's user from other sites' pages, not the server from clients.
 */
public final class OriginPolicy {

    private final boolean anyOrigin;
    private final Set<String> allowed;

    public OriginPolicy(Collection<String> allowedOrigins) {
        boolean any = false;
        Set<String> normalized = new TreeSet<>();
        for (String origin : allowedOrigins) {
            if (origin.strip().equals("*")) {
                any = true;
            } else {
                String canonical = canonical(origin);
                if (canonical == null) {
                    throw new IllegalArgumentException("security.allowedOrigins: '" + origin
                            + "' is not an origin (scheme://host[:port], e.g. https://trading.example.com)");
                }
                normalized.add(canonical);
            }
        }
        this.anyOrigin = any;
        this.allowed = Set.copyOf(normalized);
    }

    /** True when {@code *} lets every site's pages in: worth a warning. */
    public boolean allowsAnyOrigin() {
        return anyOrigin;
    }

    /** {@code origin} and {@code host}: the request's headers, null when absent. */
    public boolean allows(String origin, String host) {
        if (origin == null || anyOrigin) {
            return true;
        }
        String canonical = canonical(origin);
        if (canonical == null) {
            return false; // "null" (sandboxed pages, file:) or garbage: never our own page
        }
        return allowed.contains(canonical) || isOwn(canonical, host);
    }

    /** The origin names the host and port the browser sent this very request to. */
    private static boolean isOwn(String canonicalOrigin, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String scheme = canonicalOrigin.substring(0, canonicalOrigin.indexOf(':'));
        String canonicalHost = canonical(scheme + "://" + host.strip());
        return canonicalOrigin.equals(canonicalHost);
    }

    /** {@code scheme://host:port}, lower-case, with the scheme's default port spelled out; null if not an http(s) origin. */
    static String canonical(String origin) {
        try {
            URI uri = new URI(origin.strip());
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
                return null;
            }
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                    || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
                return null;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        List<String> all = new ArrayList<>(allowed);
        if (anyOrigin) {
            all.add("*");
        }
        return "own origin" + (all.isEmpty() ? "" : " and " + all);
    }
}
