package io.quotecast.security;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers every page and file of the dashboard is served with, by the standalone server and the
 * WAR alike. The page's own {@code <meta>} policy cannot say {@code frame-ancestors} (browsers ignore
 * it there), and only a header stops other sites from framing the page.
 */
public final class PageHeaders {

    /** The page's script opens the stream: same origin over ws: or wss:, nothing else anywhere. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; "
            + "object-src 'none'; frame-ancestors 'none'";

    /** Name to value, in a stable order. */
    public static final Map<String, String> ALL;

    static {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        ALL = java.util.Collections.unmodifiableMap(headers);
    }

    private PageHeaders() {
    }

    /**
     * Whether a request path tries to leave the web root: a {@code ..} or {@code .} segment, or an
     * encoded slash, backslash or NUL that could become one after decoding. {@code rawPath}: as sent,
     * undecoded.
     */
    public static boolean isTraversal(String rawPath) {
        String lower = rawPath.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || lower.contains("\\")) {
            return true;
        }
        String decoded = lower.replace("%2e", ".");
        for (String segment : decoded.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return true;
            }
        }
        return false;
    }
}
