package io.quotecast.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * Quotecast's settings, read one way everywhere: the defaults in {@code config/quotecast.properties}
 * (on the classpath), each overridden by a Java system property of the same name.
 *
 * <p>Only the properties file knows default values; this class knows names and types.
 */
public record Settings(
        String serverHost,
        int serverPort,
        double feedTicksPerSecond,
        long feedSeed,
        String feedSymbols,
        int maxSymbolsPerConnection,
        int maxFrameBytes,
        long stuckTimeoutMillis,
        long maxQueuedBytes,
        long flushMillis,
        int historyTicksPerSymbol,
        int historyBarsPerInterval,
        List<String> allowedOrigins,
        String tokens,
        String tokenSecret,
        String tokenPublicKey,
        List<String> anonymousSymbols,
        String tlsKeystore,
        String tlsPassword,
        // Limits and operations: what a node allows each connection and how it watches them.
        int maxMessagesPerSecond,
        int maxConnections,
        int maxConnectionsPerAddress,
        int maxHandshakesPerAddressPerSecond,
        List<String> trustedProxies,
        int pingSeconds,
        int pongTimeoutSeconds,
        int unsubscribedIdleSeconds,
        int managementPort,
        boolean metricsEnabled,
        int healthMaxTickAgeSeconds,
        // Scale-out: where ticks come from, and the broker that carries them between nodes.
        String feedMode,
        String brokerUrl,
        String brokerUser,
        String brokerPassword,
        String brokerAddress,
        boolean brokerEmbedded,
        WritePath writePath,
        // The edge: the connection limit's origin, and how long and how many unfinished handshakes are held.
        ConnectionBudget connectionBudget,
        int handshakeTimeoutSeconds,
        int maxUnfinishedHandshakesPerAddress) {

    /** Where the defaults live, on the classpath. */
    public static final String DEFAULTS_RESOURCE = "config/quotecast.properties";
    /** The values of {@code security.tokens}. */
    public static final List<String> TOKEN_MODES = List.of("off", "optional", "required");
    /** The values of {@code feed.mode}. */
    public static final List<String> FEED_MODES = List.of("local", "publish", "subscribe");

    public Settings {
        require(serverPort >= 0 && serverPort <= 65535, "server.port must be 0..65535");
        require(feedTicksPerSecond > 0, "feed.ticksPerSecond must be > 0");
        require(maxSymbolsPerConnection > 0, "connection.maxSymbols must be > 0");
        require(maxFrameBytes >= 256, "connection.maxFrameBytes must be >= 256");
        require(stuckTimeoutMillis > 0, "connection.stuckTimeoutMillis must be > 0");
        require(maxQueuedBytes >= 256 * 1024, "connection.maxQueuedBytes must be >= 262144, room for a history reply");
        require(flushMillis >= 0 && flushMillis <= 1000, "connection.flushMillis must be 0..1000");
        require(historyTicksPerSymbol > 0, "history.ticksPerSymbol must be > 0");
        require(historyBarsPerInterval >= 1000, "history.barsPerInterval must be >= 1000, the largest history limit");
        require(TOKEN_MODES.contains(tokens), "security.tokens must be one of " + TOKEN_MODES + ", not '" + tokens + "'");
        allowedOrigins = List.copyOf(allowedOrigins);
        anonymousSymbols = List.copyOf(anonymousSymbols);
        require(maxMessagesPerSecond > 0, "connection.maxMessagesPerSecond must be > 0");
        require(maxConnections > 0, "server.maxConnections must be > 0");
        require(maxConnectionsPerAddress >= 0, "server.maxConnectionsPerAddress must be >= 0 (0: off)");
        require(maxHandshakesPerAddressPerSecond >= 0, "server.maxHandshakesPerAddressPerSecond must be >= 0 (0: off)");
        trustedProxies = List.copyOf(trustedProxies);
        require(pingSeconds > 0, "connection.pingSeconds must be > 0");
        require(pongTimeoutSeconds > 0, "connection.pongTimeoutSeconds must be > 0");
        require(unsubscribedIdleSeconds > 0, "connection.unsubscribedIdleSeconds must be > 0");
        require(managementPort >= -1 && managementPort <= 65535, "management.port must be -1 (off), 0 (any free port) or a port");
        require(healthMaxTickAgeSeconds > 0, "health.maxTickAgeSeconds must be > 0");
        require(FEED_MODES.contains(feedMode), "feed.mode must be one of " + FEED_MODES + ", not '" + feedMode + "'");
        require(!brokerEmbedded || feedMode.equals("publish"), "broker.embedded=true needs feed.mode=publish (the node that owns the feed)");
        require(!brokerAddress.isEmpty(), "broker.address must not be empty");
        require(connectionBudget.maxConnections() == maxConnections, "server.maxConnections is the budget's");
        require(handshakeTimeoutSeconds > 0, "server.handshakeTimeoutSeconds must be > 0");
        require(maxUnfinishedHandshakesPerAddress >= 0, "server.maxUnfinishedHandshakesPerAddress must be >= 0 (0: off)");
    }

    /** Like the record's own, but never shows a secret: settings end up in logs. */
    @Override
    public String toString() {
        return "Settings[serverHost=" + serverHost + ", serverPort=" + serverPort + ", feedTicksPerSecond=" + feedTicksPerSecond
                + ", tokens=" + tokens + ", allowedOrigins=" + allowedOrigins + ", anonymousSymbols=" + anonymousSymbols
                + ", tokenSecret=" + (tokenSecret.isEmpty() ? "" : "(set)") + ", tokenPublicKey=" + tokenPublicKey
                + ", tlsKeystore=" + tlsKeystore + ", tlsPassword=" + (tlsPassword.isEmpty() ? "" : "(set)")
                + ", feedMode=" + feedMode + ", brokerUrl=" + brokerUrl + ", brokerUser=" + brokerUser
                + ", brokerPassword=" + (brokerPassword.isEmpty() ? "" : "(set)") + ", brokerAddress=" + brokerAddress
                + ", brokerEmbedded=" + brokerEmbedded + ", writePath=" + writePath
                + ", maxConnections=" + maxConnections + (connectionBudget.automatic() ? " (auto)" : "")
                + ", handshakeTimeoutSeconds=" + handshakeTimeoutSeconds
                + ", maxUnfinishedHandshakesPerAddress=" + maxUnfinishedHandshakesPerAddress + ", ...]";
    }

    /** The defaults overridden by this JVM's system properties. */
    public static Settings load() {
        return load(System::getProperty);
    }

    /** The defaults overridden by {@code overrides} (name to value, null where not overridden). */
    public static Settings load(UnaryOperator<String> overrides) {
        Properties defaults = readDefaults();
        // The arguments below are read in order, so the last name read is the one a parse failure is about.
        String[] lastRead = new String[1];
        UnaryOperator<String> value = name -> {
            lastRead[0] = name;
            String override = overrides.apply(name);
            String chosen = override != null ? override : defaults.getProperty(name);
            if (chosen == null) {
                throw new IllegalStateException("no value for setting " + name + " in " + DEFAULTS_RESOURCE);
            }
            return chosen.trim();
        };
        try {
            // read first, so that a bad number is reported under its name; the rest take it from the budget
            ConnectionBudget budget = ConnectionBudget.fromSetting(value.apply("server.maxConnections"));
            return new Settings(
                    value.apply("server.host"),
                    Integer.parseInt(value.apply("server.port")),
                    Double.parseDouble(value.apply("feed.ticksPerSecond")),
                    Long.parseLong(value.apply("feed.seed")),
                    value.apply("feed.symbols"),
                    Integer.parseInt(value.apply("connection.maxSymbols")),
                    Integer.parseInt(value.apply("connection.maxFrameBytes")),
                    Long.parseLong(value.apply("connection.stuckTimeoutMillis")),
                    Long.parseLong(value.apply("connection.maxQueuedBytes")),
                    Long.parseLong(value.apply("connection.flushMillis")),
                    Integer.parseInt(value.apply("history.ticksPerSymbol")),
                    Integer.parseInt(value.apply("history.barsPerInterval")),
                    list(value.apply("security.allowedOrigins")),
                    value.apply("security.tokens"),
                    secret(value.apply("security.tokenSecret")),
                    value.apply("security.tokenPublicKey"),
                    list(value.apply("security.anonymousSymbols")),
                    value.apply("server.tls.keystore"),
                    secret(value.apply("server.tls.password")),
                    Integer.parseInt(value.apply("connection.maxMessagesPerSecond")),
                    budget.maxConnections(),
                    Integer.parseInt(value.apply("server.maxConnectionsPerAddress")),
                    Integer.parseInt(value.apply("server.maxHandshakesPerAddressPerSecond")),
                    list(value.apply("server.trustedProxies")),
                    Integer.parseInt(value.apply("connection.pingSeconds")),
                    Integer.parseInt(value.apply("connection.pongTimeoutSeconds")),
                    Integer.parseInt(value.apply("connection.unsubscribedIdleSeconds")),
                    Integer.parseInt(value.apply("management.port")),
                    bool(value.apply("metrics.enabled"), "metrics.enabled"),
                    Integer.parseInt(value.apply("health.maxTickAgeSeconds")),
                    value.apply("feed.mode"),
                    value.apply("broker.url"),
                    value.apply("broker.user"),
                    secret(value.apply("broker.password")),
                    value.apply("broker.address"),
                    bool(value.apply("broker.embedded"), "broker.embedded"),
                    WritePath.fromSetting(value.apply("connection.writePath")),
                    budget,
                    Integer.parseInt(value.apply("server.handshakeTimeoutSeconds")),
                    Integer.parseInt(value.apply("server.maxUnfinishedHandshakesPerAddress")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + lastRead[0] + " is not a number: " + e.getMessage(), e);
        }
    }

    /** The defaults with the given settings replaced; convenient for embedding and tests. */
    public static Settings with(Map<String, String> overrides) {
        return load(name -> overrides.containsKey(name) ? overrides.get(name) : System.getProperty(name));
    }

    /** A comma list, blanks dropped: {@code ""} is the empty list. */
    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
    }

    /**
     * A secret may be given as {@code env:NAME}, read from that environment variable, so that it need not
     * appear on a command line, where every user of the machine can read it.
     */
    private static String secret(String value) {
        if (!value.startsWith("env:")) {
            return value;
        }
        String name = value.substring("env:".length());
        String fromEnvironment = System.getenv(name);
        if (fromEnvironment == null) {
            throw new IllegalStateException("environment variable " + name + " is not set (named by a setting as " + value + ")");
        }
        return fromEnvironment;
    }

    private static Properties readDefaults() {
        Properties properties = new Properties();
        try (InputStream in = Settings.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_RESOURCE + " is not on the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static boolean bool(String value, String name) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(name + " must be true or false, not " + value);
        }
        return Boolean.parseBoolean(value);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
