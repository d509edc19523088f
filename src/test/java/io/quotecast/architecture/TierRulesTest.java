package io.quotecast.architecture;

import io.quotecast.testing.RealParts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two test tiers: {@code mvn test} runs only in-memory tests, {@code mvn verify} also the
 * ones with real parts, which carry {@link RealParts}. Every compiled test class's constant pool is read
 * for the types it uses, and the test-tree helpers it uses, theirs in turn (a superclass, an interface of
 * behaviours, a nested class, a helper such as {@code ServerPerClass}): a test class that reaches a
 * socket, a server, a browser, a child process or a broker and is not tagged fails here, in the fast
 * tier; so does a tagged one that reaches none of them (it belongs in {@code mvn test}).
 */
class TierRulesTest {

    /** Types whose use means real parts: sockets, servers, browsers, processes, brokers. */
    private static final Set<String> REAL_TYPES = Set.of(
            "java/net/Socket", "java/net/ServerSocket", "java/net/DatagramSocket", "java/net/HttpURLConnection",
            "java/nio/channels/SocketChannel", "java/nio/channels/ServerSocketChannel", "java/nio/channels/DatagramChannel",
            "java/nio/channels/AsynchronousSocketChannel", "java/nio/channels/AsynchronousServerSocketChannel",
            "java/lang/ProcessBuilder", "java/lang/Process",
            "jakarta/websocket/ContainerProvider",
            // ours: the standalone server in this JVM or in another one, the embedded broker
            "io/quotecast/server/StandaloneServer", "io/quotecast/server/Main", "io/quotecast/cluster/EmbeddedBroker");
    /** Packages whose use means real parts. */
    private static final List<String> REAL_PACKAGES = List.of(
            "java/net/http/", "org/openqa/selenium/", "org/apache/activemq/", "org/glassfish/grizzly/",
            "org/glassfish/tyrus/server/", "org/glassfish/tyrus/client/", "org/glassfish/tyrus/container/",
            "org/jboss/arquillian/");

    /** The names surefire picks a test class by (its default includes, which pom.xml keeps). */
    private static final Pattern SUREFIRE_NAME = Pattern.compile("Test.*|.*Test|.*Tests|.*TestCase");
    private static final Pattern DESCRIPTOR_TYPE = Pattern.compile("L([A-Za-z0-9_/$]+)[;<]");
    private static final int ACC_INTERFACE = 0x0200;
    private static final int ACC_ABSTRACT = 0x0400;

    private static final Map<String, ClassUses> TREE = readTestTree();

    @Test
    void everyTestWithRealPartsIsTaggedAndEveryTaggedOneHasThem() {
        List<String> broken = new ArrayList<>();
        for (String test : surefireNamedTests()) {
            Optional<List<String>> real = realParts(test);
            boolean tagged = load(test).isAnnotationPresent(RealParts.class);
            if (real.isPresent() && !tagged) {
                broken.add(test.replace('/', '.') + " is not @RealParts but uses " + String.join(" -> ", real.get())
                        + ": tag it (io.quotecast.testing.RealParts), mvn verify runs it, mvn test does not");
            } else if (real.isEmpty() && tagged) {
                broken.add(test.replace('/', '.') + " is @RealParts but uses no real part: untag it so that mvn test runs it"
                        + " (or add what it uses to REAL_TYPES here)");
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theCheckSeesRealPartsThroughHelpersSuperclassesAndInterfaces() {
        List<String> way = realParts("io/quotecast/websocket/ConnectingTest").orElseThrow();
        assertEquals("io/quotecast/websocket/ConnectingTest", way.get(0));
        assertTrue(isReal(way.get(way.size() - 1)), way.toString());
        assertEquals(List.of("io/quotecast/testing/RunningServer", "io/quotecast/server/StandaloneServer"),
                realParts("io/quotecast/testing/RunningServer").orElseThrow());
        assertTrue(realParts("io/quotecast/testing/ServerPerClass").isPresent());
        // a superclass is a used type: the module tests' server and browser are their abstract superclass's
        assertTrue(TREE.get("io/quotecast/dashboard/RowsModuleTest").types.contains("io/quotecast/dashboard/ModulePageTest"));
        assertTrue(realParts("io/quotecast/dashboard/ModulePageTest").isPresent());
        // and so is an interface of behaviours
        assertTrue(TREE.get("io/quotecast/server/StandaloneBehaviourTest").types.contains("io/quotecast/behaviour/ProtocolPromises"));
        assertTrue(realParts("io/quotecast/behaviour/ProtocolPromises").isPresent());
        assertTrue(realParts("io/quotecast/testing/NodeProcess").isPresent());
        assertTrue(realParts("io/quotecast/testing/TestClient").orElseThrow().get(1).startsWith("java/net/http/"));
        assertFalse(surefireNamedTests().contains("io/quotecast/testing/TestClient"), "a helper, not a test");
        assertTrue(surefireNamedTests().contains("io/quotecast/dashboard/RowsModuleTest"), "tests of its superclass's kind");
        assertTrue(surefireNamedTests().contains("io/quotecast/server/StandaloneBehaviourTest"), "tests from interfaces");
    }

    @Test
    void inMemoryTestsHaveNoRealPartsEvenWhenTheyReadAHelpersConstant() {
        assertEquals(Optional.empty(), realParts("io/quotecast/stream/PacerTest"));
        assertEquals(Optional.empty(), realParts("io/quotecast/architecture/PackageRulesTest"));
        assertEquals(Optional.empty(), realParts("io/quotecast/architecture/TierRulesTest"));
        // Eventually reads TestClient.TIMEOUT, a static field: that uses no connection
        assertTrue(TREE.get("io/quotecast/testing/Eventually").fieldOnly.contains("io/quotecast/testing/TestClient"));
        assertEquals(Optional.empty(), realParts("io/quotecast/market/SimulatedMarketTest"));
    }

    @Test
    void bothTiersHaveTests() {
        Map<Boolean, Integer> tiers = new TreeMap<>();
        for (String test : surefireNamedTests()) {
            tiers.merge(load(test).isAnnotationPresent(RealParts.class), 1, Integer::sum);
        }
        assertTrue(tiers.getOrDefault(false, 0) > 20 && tiers.getOrDefault(true, 0) > 40, "real parts? " + tiers);
    }

    @Test
    void thePomExcludesFromSurefireAndRunsInFailsafeTheTagRealPartsCarries() throws IOException {
        String tag = RealParts.class.getAnnotation(Tag.class).value();
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(pom.contains("<excludedGroups>" + tag + "</excludedGroups>"), "surefire excludes " + tag);
        assertTrue(pom.contains("<groups>" + tag + "</groups>"), "a failsafe execution runs " + tag);
    }

    /**
     * The way from {@code type} to a real part, {@code type} first and the real type last, through the test
     * tree's classes it uses; empty if there is none.
     */
    private static Optional<List<String>> realParts(String type) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> todo = new ArrayDeque<>(List.of(type));
        cameFrom.put(type, null);
        while (!todo.isEmpty()) {
            String current = todo.poll();
            ClassUses uses = TREE.get(current);
            if (uses == null) {
                continue;
            }
            for (String used : new TreeSet<>(uses.types)) {
                if (isReal(used)) {
                    List<String> way = new ArrayList<>(List.of(used));
                    for (String at = current; at != null; at = cameFrom.get(at)) {
                        way.add(0, at);
                    }
                    return Optional.of(way);
                }
                if (TREE.containsKey(used) && !cameFrom.containsKey(used)) {
                    cameFrom.put(used, current);
                    todo.add(used);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isReal(String type) {
        String outer = type.contains("$") ? type.substring(0, type.indexOf('$')) : type;
        return REAL_TYPES.contains(outer) || REAL_PACKAGES.stream().anyMatch(type::startsWith);
    }

    /** Top-level, concrete classes of the test tree that surefire would pick by name and that have tests. */
    private static List<String> surefireNamedTests() {
        return TREE.entrySet().stream()
                .filter(e -> !e.getKey().contains("$") && (e.getValue().access & (ACC_INTERFACE | ACC_ABSTRACT)) == 0)
                .filter(e -> SUREFIRE_NAME.matcher(e.getKey().substring(e.getKey().lastIndexOf('/') + 1)).matches())
                .map(Map.Entry::getKey).filter(name -> hasTests(load(name))).sorted().toList();
    }

    /** A method of its own, of a superclass or of an interface is a test (TestClient is named Test*, and has none). */
    private static boolean hasTests(Class<?> type) {
        for (Class<?> at = type; at != null && at != Object.class; at = at.getSuperclass()) {
            if (Stream.of(at.getDeclaredMethods()).anyMatch(method -> AnnotationSupport.isAnnotated(method, Testable.class))
                    || Stream.of(at.getInterfaces()).anyMatch(TierRulesTest::hasTests)) {
                return true;
            }
        }
        return false;
    }

    private static Class<?> load(String type) {
        try {
            return Class.forName(type.replace('/', '.'), false, TierRulesTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What one class file uses: its access flags, the types it uses, and those it only reads a static field of. */
    private record ClassUses(int access, Set<String> types, Set<String> fieldOnly) {
    }

    /** Every class of the test tree (target/test-classes), by internal name. */
    private static Map<String, ClassUses> readTestTree() {
        Path root;
        try {
            root = Path.of(TierRulesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Map<String, ClassUses> tree = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('\\', '/').replaceAll("\\.class$", "");
                tree.put(name, read(Files.readAllBytes(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tree;
    }

    /**
     * Reads a class file's constant pool (JVMS 4.4). A type counts as used when a class constant names it
     * for anything but a field reference (a call, a new, a cast, a superclass, a nested class), or a
     * descriptor or signature names it; reading a static field of a type alone (a timeout) does not.
     */
    private static ClassUses read(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        in.readInt();
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNames = new int[count];
        Set<Integer> fieldOwners = new HashSet<>();
        Set<Integer> otherOwners = new HashSet<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.skipBytes(4);
                case 5, 6 -> {
                    in.skipBytes(8);
                    i++;
                }
                case 7 -> classNames[i] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.skipBytes(2);
                case 9 -> {
                    fieldOwners.add(in.readUnsignedShort());
                    in.skipBytes(2);
                }
                case 10, 11 -> {
                    otherOwners.add(in.readUnsignedShort());
                    in.skipBytes(2);
                }
                case 12, 17, 18 -> in.skipBytes(4);
                case 15 -> in.skipBytes(3);
                default -> throw new IllegalStateException("constant pool tag " + tag);
            }
        }
        int access = in.readUnsignedShort();
        Set<String> types = new HashSet<>();
        Set<String> fieldOnly = new HashSet<>();
        for (int i = 1; i < count; i++) {
            if (classNames[i] != 0) {
                String name = utf8[classNames[i]];
                Matcher array = DESCRIPTOR_TYPE.matcher(name);
                String type = name.startsWith("[") ? (array.find() ? array.group(1) : null) : name;
                if (type != null) {
                    (fieldOwners.contains(i) && !otherOwners.contains(i) ? fieldOnly : types).add(type);
                }
            }
        }
        for (int i = 1; i < count; i++) {
            if (utf8[i] != null) {
                Matcher descriptor = DESCRIPTOR_TYPE.matcher(utf8[i]);
                while (descriptor.find()) {
                    types.add(descriptor.group(1));
                }
            }
        }
        fieldOnly.removeAll(types);
        return new ClassUses(access, types, fieldOnly);
    }
}
