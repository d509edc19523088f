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
 * Dependencies point one way (docs: README, "How it is built"): the domain at the centre, transport
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
            Map.entry("websocket", Set.of("", "config", "market", "stream", "security", "ops", "protocol")),
            Map.entry("server", Set.of("", "config", "market", "stream", "security", "ops", "protocol", "websocket")),
            Map.entry("web", Set.of("", "config", "market", "stream", "security", "ops", "protocol", "websocket")));

    /**
     * Transport types: only websocket, server and web may name them (server alone Grizzly and Tyrus's
     * core; Undertow's only {@link #UNDERTOW_SINK}).
     */
    private static final Map<String, List<String>> TRANSPORT_ALLOWED = Map.of(
            "websocket", List.of("jakarta/websocket/", "org/glassfish/tyrus/spi/"),
            "server", List.of("jakarta/websocket/", "org/glassfish/"),
            "web", List.of("jakarta/websocket/", "jakarta/servlet/"));
    private static final List<String> TRANSPORT = List.of("jakarta/websocket/", "jakarta/servlet/", "org/glassfish/",
            "io/undertow/", "org/xnio/");
    /** Undertow's types: in one class only (and its nested ones), the WAR's sink on WildFly, loaded behind a check. */
    private static final String UNDERTOW_SINK = "io/quotecast/websocket/UndertowFrameSink";
    private static final List<String> UNDERTOW = List.of("io/undertow/", "org/xnio/");

    /**
     * The protocol's rules, messages and JSON: no transport at all, so that they are unit-tested with no
     * socket and a client could take them along without a server.
     */
    private static final String PROTOCOL = "protocol";

    /** The packages of the wire: the application root may name none of them. */
    private static final Set<String> TRANSPORT_PACKAGES = Set.of("websocket", "server", "web");

    /** The application and its running parts: no static field may hold one (a locator), endpoints get them handed in. */
    private static final Set<Class<?>> APPLICATION_PARTS = Set.of(Quotecast.class, QuoteHub.class, Operations.class,
            Admission.class, BarHistory.class, TickSource.class, ProtocolContext.class);

    private static final Pattern OURS = Pattern.compile("io/quotecast/(?:([a-z]+)/)?[A-Z]");

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
                String used = ours.group(1) == null ? "" : ours.group(1);
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
                            .anyMatch(prefix -> constants.startsWith(prefix, from))
                            || isUndertowSink(type) && UNDERTOW.stream().anyMatch(prefix -> constants.startsWith(prefix, from));
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
    void theApplicationRootMayUseNoTransportPackage() {
        // The root assembles the domain and the stream; the wire's pieces are handed to it by server and web.
        Set<String> transport = new java.util.TreeSet<>(MAY_USE.get(""));
        transport.retainAll(TRANSPORT_PACKAGES);
        assertEquals(Set.of(), transport, "io.quotecast may not use");
        assertTrue(!TRANSPORT_ALLOWED.containsKey(""), "nor name a transport type");
        Matcher ours = OURS.matcher("Lio/quotecast/websocket/QuoteEncoder;");
        assertTrue(ours.find() && !MAY_USE.get("").contains(ours.group(1)), "a root naming websocket is reported");
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
    void theRulesCatchUndertowOutsideItsSink() {
        // Undertow's types are allowed in the one sink, not in its package at large.
        assertTrue(isUndertowSink(root().resolve(UNDERTOW_SINK + ".class")));
        assertTrue(isUndertowSink(root().resolve(UNDERTOW_SINK + "$Batch.class")));
        assertTrue(!isUndertowSink(root().resolve("io/quotecast/websocket/SessionSinks.class")));
        assertTrue(!isUndertowSink(root().resolve("io/quotecast/websocket/UndertowFrameSinks.class")));
    }

    private static boolean isUndertowSink(Path type) {
        String name = root().relativize(type).toString().replace('\\', '/');
        return name.equals(UNDERTOW_SINK + ".class") || name.startsWith(UNDERTOW_SINK + "$");
    }

    private static String packageOf(Path type) {
        Path relative = root().relativize(type);
        return relative.getNameCount() == 3 ? "" : relative.getName(2).toString();
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
