package io.quotecast.architecture;

import io.quotecast.Quotecast;
import io.quotecast.cluster.TickSource;
import io.quotecast.market.BarHistory;
import io.quotecast.ops.Operations;
import io.quotecast.protocol.ProtocolContext;
import io.quotecast.security.Admission;
import io.quotecast.stream.QuoteHub;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dependencies point one way (docs/architecture.md): the domain at the centre, transport
 * at the edge. Every compiled class's constant pool is read for the packages it names, so an import
 * that breaks a package's rule fails here, whatever the source looks like.
 */
class PackageRulesTest {

    /** Which of our packages each package may name ("" is the application root, io.quotecast itself). */
    private static final Map<String, Set<String>> MAY_USE = Map.ofEntries(
            Map.entry("market", Set.of()),
            Map.entry("config", Set.of()),
            Map.entry("stream", Set.of("market")),
            Map.entry("security", Set.of("config")),
            Map.entry("cluster", Set.of("config", "market")),
            Map.entry("ops", Set.of("config", "market", "stream", "cluster")),
            Map.entry("", Set.of("config", "market", "stream", "security", "ops", "cluster")),
            Map.entry("protocol", Set.of("market", "stream", "security", "ops")),
            // the portable path: it names no container package (they plug in through SessionSinks)
            Map.entry("websocket", Set.of("", "config", "market", "stream", "security", "ops", "protocol")),
            // each container's accelerated write path: the sinks' bases and the frames, nothing else of ours
            Map.entry("websocket.tyrus", Set.of("websocket", "stream")),
            Map.entry("websocket.undertow", Set.of("websocket", "stream")),
            Map.entry("websocket.liberty", Set.of("websocket")),
            Map.entry("websocket.jetty", Set.of("websocket", "stream")),
            Map.entry("server.tyrus", Set.of("websocket", "stream")),
            Map.entry("server", Set.of("", "config", "market", "stream", "security", "ops", "protocol", "websocket",
                    "server.tyrus", "command")),
            // the jar's commands: the client (and the market's values it hands out) and the token minter
            Map.entry("command", Set.of("client", "market", "security")),
            Map.entry("web", Set.of("", "config", "market", "stream", "security", "ops", "protocol", "websocket",
                    "websocket.tyrus", "websocket.undertow", "websocket.liberty", "websocket.jetty")),
            // the Java client, shipped alone: of these two only the value types in CLIENT_SHARED (below)
            Map.entry("client", Set.of("market", "protocol")));

    /**
     * The server's classes the client may name, which quotecast-client.jar carries beside it (pom.xml,
     * the client-jar execution): value types of the protocol that name nothing of ours themselves.
     */
    static final Set<String> CLIENT_SHARED = Set.of("io/quotecast/market/Quote", "io/quotecast/market/Bar",
            "io/quotecast/protocol/ErrorCode");

    /**
     * Transport types: only the transport packages may name them, and a container's own types only its
     * packages: Tyrus's SPI only websocket.tyrus (the WAR's path on GlassFish and Payara), Undertow and
     * XNIO only websocket.undertow (WildFly), Tyrus's core and Grizzly only server and server.tyrus (the
     * standalone server). The portable websocket package names none.
     */
    private static final Map<String, List<String>> TRANSPORT_ALLOWED = Map.of(
            "websocket", List.of("jakarta/websocket/"),
            "websocket.tyrus", List.of("jakarta/websocket/", "org/glassfish/tyrus/spi/"),
            "websocket.undertow", List.of("jakarta/websocket/", "io/undertow/", "org/xnio/"),
            "websocket.liberty", List.of("jakarta/websocket/"),
            "websocket.jetty", List.of("jakarta/websocket/"),
            "server", List.of("jakarta/websocket/", "org/glassfish/"),
            "server.tyrus", List.of("jakarta/websocket/", "org/glassfish/"),
            "web", List.of("jakarta/websocket/", "jakarta/servlet/"),
            "client", List.of("jakarta/websocket/"));
    private static final List<String> TRANSPORT = List.of("jakarta/websocket/", "jakarta/servlet/", "org/glassfish/",
            "io/undertow/", "org/xnio/", "org/eclipse/jetty/");

    /**
     * The packages that reach below a container's public API: only they may name a container's class
     * (as a type or as a string), reflect on declared (private) members, or look up private method handles.
     */
    private static final Set<String> CONTAINER_PACKAGES = Set.of("websocket.tyrus", "websocket.undertow", "websocket.liberty", "websocket.jetty", "server.tyrus");
    /** A container's class named in a string, and the ways into private members, as they appear in a constant pool. */
    private static final List<String> CONTAINER_INTERNALS = List.of("org.glassfish.", "io.undertow.", "org.xnio.", "com.ibm.", "io.openliberty.", "org.eclipse.jetty.",
            "setAccessible", "privateLookupIn", "getDeclaredField", "getDeclaredMethod", "getDeclaredConstructor");

    /**
     * The protocol's rules, messages and JSON: no transport at all, so that they are unit-tested with no
     * socket and a client could take them along without a server.
     */
    private static final String PROTOCOL = "protocol";

    /** The packages of the wire: the application root may name none of them. */
    private static final Set<String> TRANSPORT_PACKAGES = Set.of("websocket", "websocket.tyrus", "websocket.undertow",
            "websocket.jetty", "server", "server.tyrus", "web");

    /** The application and its running parts: no static field may hold one (a locator), endpoints get them handed in. */
    private static final Set<Class<?>> APPLICATION_PARTS = Set.of(Quotecast.class, QuoteHub.class, Operations.class,
            Admission.class, BarHistory.class, TickSource.class, ProtocolContext.class);

    /** One of our classes in a constant pool; group 1 its package below io/quotecast/, slash-separated, or empty. */
    private static final Pattern OURS = Pattern.compile("io/quotecast/((?:[a-z]+/)*)[A-Z]");

    @Test
    void everyPackageHasARule() {
        for (Path type : classes()) {
            String own = packageOf(type);
            assertTrue(MAY_USE.containsKey(own), "no rule for package io.quotecast." + own + " (add one here and a package-info)");
        }
    }

    @Test
    void noPackageNamesOneItMayNotUse() {
        List<String> broken = new ArrayList<>();
        for (Path type : classes()) {
            String own = packageOf(type);
            Matcher ours = OURS.matcher(constants(type));
            while (ours.find()) {
                String used = packageNamed(ours);
                if (!used.equals(own) && !MAY_USE.getOrDefault(own, Set.of()).contains(used)) {
                    broken.add(root().relativize(type) + " names io.quotecast." + used);
                }
            }
        }
        assertEquals(List.of(), broken.stream().distinct().toList());
    }

    @Test
    void onlyTheTransportPackagesNameTransportTypes() {
        List<String> broken = new ArrayList<>();
        for (Path type : classes()) {
            String own = packageOf(type);
            String constants = constants(type);
            for (String transport : TRANSPORT) {
                int at = constants.indexOf(transport);
                while (at >= 0) {
                    int from = at;
                    boolean allowed = TRANSPORT_ALLOWED.getOrDefault(own, List.of()).stream()
                            .anyMatch(prefix -> constants.startsWith(prefix, from));
                    if (!allowed) {
                        broken.add(root().relativize(type) + " names " + constants.substring(at, Math.min(constants.length(), at + 40)).split("[;\\s]")[0]);
                        break;
                    }
                    at = constants.indexOf(transport, at + 1);
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theClientNamesNothingOfTheServerButTheSharedValueTypes() {
        Pattern anyOfOurs = Pattern.compile("io/quotecast/(?:[a-z]+/)*[A-Z][A-Za-z0-9]*");
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path type : classes()) {
            String own = packageOf(type);
            String name = root().relativize(type).toString().replace('\\', '/').replaceAll("(\\$.*)?\\.class$", "");
            boolean client = own.equals("client");
            boolean shared = CLIENT_SHARED.contains(name);
            if (!client && !shared) {
                continue;
            }
            checked++;
            Matcher ours = anyOfOurs.matcher(constants(type));
            while (ours.find()) {
                String used = ours.group();
                boolean allowed = used.startsWith("io/quotecast/client/") || CLIENT_SHARED.contains(used)
                        || used.equals(name);
                if (!allowed) {
                    broken.add(name + " names " + used);
                }
            }
        }
        assertTrue(checked >= CLIENT_SHARED.size() + 5, "the client's classes are where this test looks: " + checked);
        assertEquals(List.of(), broken.stream().distinct().toList());
    }

    @Test
    void theApplicationRootMayUseNoTransportPackage() {
        // The root assembles the domain and the stream; the wire's pieces are handed to it by server and web.
        Set<String> transport = new java.util.TreeSet<>(MAY_USE.get(""));
        transport.retainAll(TRANSPORT_PACKAGES);
        assertEquals(Set.of(), transport, "io.quotecast may not use");
        assertTrue(!TRANSPORT_ALLOWED.containsKey(""), "nor name a transport type");
        Matcher ours = OURS.matcher("Lio/quotecast/websocket/QuoteEncoder;");
        assertTrue(ours.find() && !MAY_USE.get("").contains(packageNamed(ours)), "a root naming websocket is reported");
    }

    @Test
    void theProtocolNamesNoTransportTypeAndNoTransportPackage() {
        assertTrue(!TRANSPORT_ALLOWED.containsKey(PROTOCOL), "the protocol may name no transport type");
        Set<String> transport = new java.util.TreeSet<>(MAY_USE.get(PROTOCOL));
        transport.retainAll(TRANSPORT_PACKAGES);
        assertEquals(Set.of(), transport, "io.quotecast.protocol may not use");
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path type : classes()) {
            if (!packageOf(type).equals(PROTOCOL)) {
                continue;
            }
            checked++;
            String constants = constants(type);
            TRANSPORT.stream().filter(constants::contains).forEach(name -> broken.add(root().relativize(type) + " names " + name));
        }
        assertTrue(checked >= 5, "the protocol's classes are where this test looks: " + checked);
        assertEquals(List.of(), broken);
    }

    /** No static locator: nothing finds the application through a static; it is handed to what needs it. */
    @Test
    void noClassHoldsTheApplicationOrMutableStateInAStaticField() {
        List<String> broken = new ArrayList<>();
        for (Class<?> type : loaded()) {
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) || field.isSynthetic()) {
                    continue;
                }
                if (!Modifier.isFinal(field.getModifiers())) {
                    broken.add(type.getName() + "." + field.getName() + " is static and not final");
                } else if (APPLICATION_PARTS.contains(field.getType())) {
                    broken.add(type.getName() + "." + field.getName() + " holds a " + field.getType().getSimpleName());
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (Modifier.isStatic(method.getModifiers()) && method.getParameterCount() == 0
                        && APPLICATION_PARTS.contains(method.getReturnType())) {
                    broken.add(type.getName() + "." + method.getName() + "() hands out a " + method.getReturnType().getSimpleName());
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    /** Every close code the server sends is a stream.CloseCode: only websocket.Closing turns one into the API's. */
    @Test
    void everyCloseGoesThroughTheEnumOfCloseCodes() {
        List<String> broken = new ArrayList<>();
        for (Path type : classes()) {
            if (constants(type).contains("jakarta/websocket/CloseReason$CloseCodes")
                    && !root().relativize(type).toString().replace('\\', '/').equals("io/quotecast/websocket/Closing.class")) {
                broken.add(root().relativize(type) + " names CloseReason.CloseCodes");
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theRulesCatchAForbiddenName() {
        // The check itself can fail: a market class naming the stream would be reported.
        Matcher ours = OURS.matcher("Lio/quotecast/stream/QuoteHub;");
        assertTrue(ours.find());
        assertTrue(!MAY_USE.get("market").contains(ours.group(1)));
    }

    @Test
    void containerInternalsAreReachedOnlyInTheContainerPackages() {
        List<String> broken = new ArrayList<>();
        for (Path type : classes()) {
            if (CONTAINER_PACKAGES.contains(packageOf(type))) {
                continue;
            }
            String constants = constants(type);
            for (String internal : CONTAINER_INTERNALS) {
                if (constants.contains(internal)) {
                    broken.add(root().relativize(type) + " names " + internal);
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void eachContainerPackageHasItsClassesAndSaysWhatItTouches() throws IOException {
        // The container packages exist (a rule about an empty package would hold by itself), and each
        // package-info says what it touches, what it checks before and how it falls back.
        for (String container : CONTAINER_PACKAGES) {
            String folder = "io/quotecast/" + container.replace('.', '/');
            try (Stream<Path> files = Files.list(root().resolve(folder))) {
                assertTrue(files.anyMatch(file -> !file.getFileName().toString().startsWith("package-info")), container + " has classes");
            }
            String info = Files.readString(Path.of("src/main/java", folder, "package-info.java"));
            for (String says : List.of("What it touches", "What it checks first", "How it falls back")) {
                assertTrue(info.contains(says), container + "'s package-info says: " + says);
            }
        }
    }

    @Test
    void theRulesCatchAContainerTypeOutsideItsPackage() {
        // Undertow's and Tyrus's types are allowed in their own packages, not in the portable one, nor in each other's.
        assertTrue(allowed("websocket.undertow", "io/undertow/websockets/core/WebSocketChannel"));
        assertTrue(!allowed("websocket", "io/undertow/websockets/core/WebSocketChannel"));
        assertTrue(!allowed("websocket", "org/glassfish/tyrus/spi/Writer"));
        assertTrue(!allowed("websocket.tyrus", "io/undertow/websockets/core/WebSocketChannel"));
        assertTrue(!allowed("websocket.tyrus", "org/glassfish/tyrus/core/TyrusWebSocket"));
        assertTrue(!allowed("websocket.undertow", "org/glassfish/tyrus/spi/Writer"));
        assertTrue(!allowed("web", "org/glassfish/grizzly/Connection"));
        Path sinks = root().resolve("io/quotecast/websocket/SessionSinks.class");
        assertEquals("websocket", packageOf(sinks));
        assertEquals("websocket.undertow", packageOf(root().resolve("io/quotecast/websocket/undertow/UndertowFrameSink.class")));
        Matcher ours = OURS.matcher("Lio/quotecast/websocket/undertow/UndertowWritePath;");
        assertTrue(ours.find());
        assertEquals("websocket.undertow", packageNamed(ours));
        assertTrue(!MAY_USE.get("websocket").contains(packageNamed(ours)), "the portable package may not name a container's");
    }

    private static boolean allowed(String own, String type) {
        return TRANSPORT_ALLOWED.getOrDefault(own, List.of()).stream().anyMatch(type::startsWith);
    }

    /** The package {@link #OURS} found, dot-separated below io.quotecast ("" for the root). */
    private static String packageNamed(Matcher ours) {
        String slashed = ours.group(1);
        return slashed.isEmpty() ? "" : slashed.substring(0, slashed.length() - 1).replace('/', '.');
    }

    /** The class's package below io.quotecast, dot-separated ("" for the root, "websocket.tyrus" for a subpackage). */
    private static String packageOf(Path type) {
        Path relative = root().relativize(type);
        List<String> names = new ArrayList<>();
        for (int i = 2; i < relative.getNameCount() - 1; i++) {
            names.add(relative.getName(i).toString());
        }
        return String.join(".", names);
    }

    private static String constants(Path type) {
        try {
            return new String(Files.readAllBytes(type), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The compiled main classes (target/classes), found from the application root's class. */
    private static Path root() {
        try {
            return Path.of(Quotecast.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The compiled main classes, loaded (not initialised). */
    private static List<Class<?>> loaded() {
        List<Class<?>> types = new ArrayList<>();
        for (Path file : classes()) {
            String name = root().relativize(file).toString().replace('\\', '/').replace('/', '.').replaceAll("\\.class$", "");
            try {
                types.add(Class.forName(name, false, Quotecast.class.getClassLoader()));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return types;
    }

    private static List<Path> classes() {
        try (Stream<Path> files = Files.walk(root().resolve("io/quotecast"))) {
            return files.filter(file -> file.toString().endsWith(".class")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
