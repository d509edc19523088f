package io.quotecast.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * Quotecast's settings, read one way everywhere: the defaults in {@code config/quotecast.properties}
 * (on the classpath), each overridden by a Java system property of the same name.
 *
 * <p>Grouped by the properties' own prefixes, so that a property's name says where its value is:
 * {@code connection.maxFrameBytes} is {@code settings.connection().maxFrameBytes()}. Modes are enums.
 * Only the properties file knows default values; this class knows names and types, and is the one reader.
 *
 * @param server     {@code server.*}
 * @param feed       {@code feed.*}
 * @param connection {@code connection.*}
 * @param history    {@code history.*}
 * @param security   {@code security.*}
 * @param monitoring {@code management.port}, {@code metrics.enabled}, {@code health.*}
 * @param broker     {@code broker.*}
 */
public record Settings(
        ServerSettings server,
        FeedSettings feed,
        ConnectionSettings connection,
        HistorySettings history,
        SecuritySettings security,
        MonitoringSettings monitoring,
        BrokerSettings broker) {

    /** Where the defaults live, on the classpath. */
    public static final String DEFAULTS_RESOURCE = "config/quotecast.properties";

    public Settings {
        require(!broker.embedded() || feed.mode() == FeedMode.PUBLISH,
                "broker.embedded=true needs feed.mode=publish (the node that owns the feed)");
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
                    new ServerSettings(
                            value.apply("server.host"),
                            Integer.parseInt(value.apply("server.port")),
                            new ServerSettings.TlsSettings(
                                    value.apply("server.tls.keystore"),
                                    secret(value.apply("server.tls.password"))),
                            budget,
                            Integer.parseInt(value.apply("server.maxConnectionsPerAddress")),
                            Integer.parseInt(value.apply("server.maxHandshakesPerAddressPerSecond")),
                            list(value.apply("server.trustedProxies")),
                            Integer.parseInt(value.apply("server.handshakeTimeoutSeconds")),
                            Integer.parseInt(value.apply("server.maxUnfinishedHandshakesPerAddress"))),
                    new FeedSettings(
                            Double.parseDouble(value.apply("feed.ticksPerSecond")),
                            Long.parseLong(value.apply("feed.seed")),
                            value.apply("feed.symbols"),
                            mode(FeedMode.class, "feed.mode", value.apply("feed.mode"))),
                    new ConnectionSettings(
                            Integer.parseInt(value.apply("connection.maxSymbols")),
                            Integer.parseInt(value.apply("connection.maxFrameBytes")),
                            Long.parseLong(value.apply("connection.stuckTimeoutMillis")),
                            Long.parseLong(value.apply("connection.maxQueuedBytes")),
                            Long.parseLong(value.apply("connection.flushMillis")),
                            Long.parseLong(value.apply("connection.containerFlushMillis")),
                            mode(WritePath.class, "connection.writePath", value.apply("connection.writePath")),
                            Integer.parseInt(value.apply("connection.maxMessagesPerSecond")),
                            Integer.parseInt(value.apply("connection.pingSeconds")),
                            Integer.parseInt(value.apply("connection.pongTimeoutSeconds")),
                            Integer.parseInt(value.apply("connection.unsubscribedIdleSeconds"))),
                    new HistorySettings(
                            Integer.parseInt(value.apply("history.ticksPerSymbol")),
                            Integer.parseInt(value.apply("history.barsPerInterval"))),
                    new SecuritySettings(
                            list(value.apply("security.allowedOrigins")),
                            mode(TokenMode.class, "security.tokens", value.apply("security.tokens")),
                            secret(value.apply("security.tokenSecret")),
                            value.apply("security.tokenPublicKey"),
                            list(value.apply("security.anonymousSymbols"))),
                    new MonitoringSettings(
                            Integer.parseInt(value.apply("management.port")),
                            bool(value.apply("metrics.enabled"), "metrics.enabled"),
                            Integer.parseInt(value.apply("health.maxTickAgeSeconds"))),
                    new BrokerSettings(
                            value.apply("broker.url"),
                            value.apply("broker.user"),
                            secret(value.apply("broker.password")),
                            value.apply("broker.address"),
                            bool(value.apply("broker.embedded"), "broker.embedded")));
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

    /** A mode's setting value is its enum constant's name in lower case: {@code feed.mode=publish}. */
    private static <E extends Enum<E>> E mode(Class<E> type, String name, String value) {
        for (E mode : type.getEnumConstants()) {
            if (mode.name().toLowerCase(Locale.ROOT).equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException(name + " must be one of " + Arrays.stream(type.getEnumConstants())
                .map(mode -> mode.name().toLowerCase(Locale.ROOT)).toList() + ", not '" + value + "'");
    }

    /** A secret as a log may show it: whether it is set, never its value. */
    static String hidden(String secret) {
        return secret.isEmpty() ? "" : "(set)";
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
