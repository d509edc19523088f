package io.quotecast.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Constants of the quotecast.v1 wire protocol and of this server's identity in it. */
public final class Protocol {

    public static final String NAME = "quotecast.v1";
    public static final String PATH = "/quotes";
    /** Query parameter of a listen-only client: {@code ?symbols=ACME,GLOBX} or {@code ?symbols=*}. */
    public static final String SYMBOLS_PARAMETER = "symbols";
    public static final String SERVER = "Quotecast/" + version();

    private Protocol() {
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = Protocol.class.getResourceAsStream("/io/quotecast/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // fall through to "dev": a missing version must not stop the server
        }
        return properties.getProperty("version", "dev");
    }
}
