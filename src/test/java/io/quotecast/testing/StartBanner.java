package io.quotecast.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line the standalone launcher prints once it listens. A test starts the launcher with
 * {@code server.port=0} and reads the port from here: the server binds a free port itself, so no
 * test picks a number that another process could take before the server binds it.
 */
public final class StartBanner {

    /** What the line starts with. */
    public static final String PREFIX = "Quotecast started";
    private static final Pattern STREAM_PORT = Pattern.compile("wss?://[^:/]+:(\\d+)/quotes");

    private StartBanner() {
    }

    /** The port of the stream URL in the banner ({@code ... stream ws://host:port/quotes}). */
    public static int port(String banner) {
        Matcher matcher = STREAM_PORT.matcher(banner);
        if (!matcher.find()) {
            throw new AssertionError("no stream URL in the start banner: " + banner);
        }
        return Integer.parseInt(matcher.group(1));
    }
}
