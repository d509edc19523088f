package io.quotecast.architecture;

import io.quotecast.Quotecast;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
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
    private static final Map<String, Set<String>> MAY_USE = Map.of(
            "market", Set.of(),
            "config", Set.of(),
            "stream", Set.of("market"),
            "security", Set.of("config"),
            "cluster", Set.of("config", "market"),
            "ops", Set.of("config", "market", "stream", "cluster"),
            "", Set.of("config", "market", "stream", "security", "ops", "cluster", "websocket"),
            "websocket", Set.of("", "config", "market", "stream", "security", "ops"),
            "server", Set.of("", "config", "market", "stream", "security", "ops", "websocket"),
            "web", Set.of("", "config", "market", "stream", "security", "ops", "websocket"));

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

    private static List<Path> classes() {
        try (Stream<Path> files = Files.walk(root().resolve("io/quotecast"))) {
            return files.filter(file -> file.toString().endsWith(".class")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
