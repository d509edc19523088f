package io.quotecast.packaging;

import io.quotecast.testing.StartBanner;
import io.quotecast.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code mvn package} ships: the standalone jar and the WAR, checked as an operator gets them. */
class PackagingIT {

    private static final Path WAR = Path.of("target", "quotecast.war");
    private static final Path JAR = Path.of("target", "quotecast-standalone.jar");

    @Test
    void theWarCarriesNoJarTheApplicationServerProvides() throws IOException {
        assertTrue(Files.isRegularFile(WAR), "mvn package builds " + WAR);
        try (JarFile war = new JarFile(WAR.toFile())) {
            List<String> libs = Collections.list(war.entries()).stream()
                    .map(ZipEntry::getName)
                    .filter(name -> name.startsWith("WEB-INF/lib/"))
                    .filter(name -> name.endsWith(".jar"))
                    .filter(name -> !name.startsWith("WEB-INF/lib/nimbus-jose-jwt-")) // the token library: no server provides it
                    .toList();
            // Besides the token library, Micrometer and what it needs for /metrics, the chart's WebJar, and the Artemis client
            // with what it needs (feed.mode=subscribe) are the only jars: no server provides them (the Messaging API
            // aside, which a server that has it wins over).
            List<String> others = libs.stream()
                    .filter(name -> !name.matches("WEB-INF/lib/(micrometer-|prometheus-metrics-|HdrHistogram-|uplot-).*"))
                    // JSON-P for the servlet containers (Tomcat, Jetty) that have none; an EE server's own is found first
                    .filter(name -> !name.matches("WEB-INF/lib/(parsson-|jakarta\\.json-api-).*"))
                    .filter(name -> !name.matches("WEB-INF/lib/(artemis-(jakarta-client|core-client|commons|selector)-|netty-|jgroups-"
                            + "|pem-keystore-|asn-one-|commons-beanutils-|commons-collections-|commons-logging-|slf4j-api-|jakarta\\.jms-api-).*"))
                    .toList();
            assertEquals(List.of(), others, "no WebSocket API, Tyrus, Grizzly or Artemis server jars in WEB-INF/lib");
            assertTrue(libs.stream().noneMatch(name -> name.startsWith("WEB-INF/lib/slf4j-jdk14-")),
                    "no SLF4J provider in the WAR: an application server brings its own binding");
            assertTrue(libs.stream().anyMatch(name -> name.startsWith("WEB-INF/lib/parsson-")),
                    "the WAR carries a JSON-P implementation for servlet containers without one: " + libs);
            assertTrue(libs.stream().anyMatch(name -> name.startsWith("WEB-INF/lib/micrometer-registry-prometheus-")), libs.toString());
            assertTrue(libs.stream().anyMatch(name -> name.startsWith("WEB-INF/lib/artemis-jakarta-client-")),
                    "the WAR carries the broker client a subscribing node needs: " + libs);
            assertTrue(Collections.list(war.entries()).stream().anyMatch(e -> e.getName().startsWith("WEB-INF/lib/nimbus-jose-jwt-")),
                    "the WAR carries the token library it verifies tokens with");
        }
    }

    /** The container serves the META-INF/resources of the jars in WEB-INF/lib: the chart library is one of them. */
    @Test
    void theWarAndTheJarCarryTheChartLibraryWhereTheirServersLookForIt() throws IOException {
        String module = "META-INF/resources/" + io.quotecast.testing.WebJar.UPLOT_MODULE;
        try (JarFile war = new JarFile(WAR.toFile())) {
            ZipEntry lib = Collections.list(war.entries()).stream()
                    .filter(e -> e.getName().matches("WEB-INF/lib/uplot-[0-9.]+\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no uplot WebJar in WEB-INF/lib"));
            try (var in = new java.util.zip.ZipInputStream(war.getInputStream(lib))) {
                boolean found = false;
                for (ZipEntry e = in.getNextEntry(); e != null && !found; e = in.getNextEntry()) {
                    found = e.getName().equals(module);
                }
                assertTrue(found, module + " in " + lib.getName());
            }
        }
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertNotNull(jar.getEntry(module), module + " in the standalone jar, served by its dashboard handler");
        }
    }

    /** The page is app.js and its ES modules, loaded file by file: each one must ship in both, or the page breaks. */
    @Test
    void everyFileOfTheDashboardShipsInTheWarAndTheJar() throws IOException {
        Path root = Path.of("webapp");
        List<String> files;
        try (var walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
        assertTrue(files.contains("modules/ordering.js"), "the page's modules: " + files);
        try (JarFile war = new JarFile(WAR.toFile()); JarFile jar = new JarFile(JAR.toFile())) {
            for (String file : files) {
                assertNotNull(war.getEntry(file), file + " at the WAR's root");
                assertNotNull(jar.getEntry("webapp/" + file), "webapp/" + file + " in the standalone jar");
            }
        }
    }

    @Test
    void theWarHoldsTheEndpointTheListenerTheSettingsAndTheDashboard() throws IOException {
        try (JarFile war = new JarFile(WAR.toFile())) {
            for (String entry : List.of(
                    "index.html",
                    "WEB-INF/classes/io/quotecast/websocket/QuoteEndpoint.class",
                    "WEB-INF/classes/io/quotecast/web/QuotecastWebListener.class",
                    "WEB-INF/classes/config/quotecast.properties",
                    "WEB-INF/classes/config/symbols.csv")) {
                assertNotNull(war.getEntry(entry), entry);
            }
            assertNull(war.getEntry("WEB-INF/classes/io/quotecast/server/Main.class"), "no standalone launcher in the WAR");
            assertNull(war.getEntry("WEB-INF/classes/webapp/index.html"), "web content only at the WAR's root");
        }
    }

    @Test
    void onlyTheUndertowPackageOfTheWarNamesUndertowAndWildFlyLetsItSeeUndertowsCore() throws IOException {
        // The package of the write path that hands gathered frames to Undertow's connection on WildFly, loaded only
        // where the container is Undertow; WildFly shows the WAR Undertow's core module through this file.
        String undertowPackage = "WEB-INF/classes/io/quotecast/websocket/undertow/";
        try (JarFile war = new JarFile(WAR.toFile())) {
            List<String> naming = new ArrayList<>();
            for (ZipEntry entry : Collections.list(war.entries())) {
                if (entry.getName().endsWith(".class")) {
                    String constants = new String(war.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
                    if (constants.contains("io/undertow/") || constants.contains("org/xnio/")) {
                        naming.add(entry.getName());
                    }
                }
            }
            assertTrue(naming.contains(undertowPackage + "UndertowFrameSink.class"), "the sink names Undertow: " + naming);
            assertEquals(List.of(), naming.stream().filter(name -> !isDirectlyIn(name, undertowPackage)).toList(),
                    "classes of the WAR outside " + undertowPackage + " that name Undertow or XNIO");
            ZipEntry structure = war.getEntry("WEB-INF/jboss-deployment-structure.xml");
            assertNotNull(structure, "WEB-INF/jboss-deployment-structure.xml");
            String xml = new String(war.getInputStream(structure).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("<module name=\"io.undertow.core\"/>"), xml);
        }
    }

    @Test
    void onlyTheTyrusPackageOfTheWarReachesIntoTyrusAndOnlyThroughItsSpi() throws IOException {
        // The WAR runs on any Jakarta EE server (WildFly's WebSocket is Undertow): only the APIs, but for
        // the package of the write path that gathers writes on a Tyrus container, which uses Tyrus's SPI and
        // nothing else of it, and is loaded only where the container is Tyrus's.
        String tyrusPackage = "WEB-INF/classes/io/quotecast/websocket/tyrus/";
        try (JarFile war = new JarFile(WAR.toFile())) {
            List<String> naming = new ArrayList<>();
            for (ZipEntry entry : Collections.list(war.entries())) {
                if (entry.getName().endsWith(".class")) {
                    String constants = new String(war.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
                    assertFalse(constants.contains("org/glassfish/grizzly"), entry.getName() + " refers to Grizzly");
                    if (isDirectlyIn(entry.getName(), tyrusPackage)) {
                        assertFalse(constants.replace("org/glassfish/tyrus/spi/", "").contains("org/glassfish/tyrus"),
                                entry.getName() + " refers to Tyrus beyond its SPI");
                    } else {
                        assertFalse(constants.contains("org/glassfish/tyrus"), entry.getName() + " refers to Tyrus");
                    }
                    if (constants.contains("org/glassfish/tyrus/spi/")) {
                        naming.add(entry.getName());
                    }
                }
            }
            assertTrue(naming.contains(tyrusPackage + "TyrusWriterSink.class"), "the sink names Tyrus's SPI: " + naming);
        }
    }

    @Test
    void theWarCarriesNoneOfTheStandaloneServersTyrusPath() throws IOException {
        try (JarFile war = new JarFile(WAR.toFile())) {
            List<String> standalone = Collections.list(war.entries()).stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith("WEB-INF/classes/io/quotecast/server/")).toList();
            assertEquals(List.of(), standalone, "the standalone server's classes (server, server.tyrus) in the WAR");
        }
    }

    /** Whether a WAR entry is a class of exactly that package (not of a package below it). */
    private static boolean isDirectlyIn(String entry, String packageFolder) {
        return entry.startsWith(packageFolder) && entry.indexOf('/', packageFolder.length()) < 0;
    }

    @Test
    void theStandaloneJarServesTheDashboardAndTheStreamWithJavaJar() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "mvn package builds " + JAR);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Dserver.port=0", "-Dserver.host=127.0.0.1",
                "-jar", JAR.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            List<String> before = new java.util.ArrayList<>();
            while ((line = output.readLine()) != null && !line.contains("Quotecast started")) {
                before.add(line); // wait for the banner: the server listens
            }
            assertNotNull(line, "the jar printed its start banner");
            assertTrue(before.stream().noneMatch(earlier -> earlier.contains("SLF4J")),
                    "the libraries that log through SLF4J find its provider in the jar: " + before);
            // The server picked a free port itself (port 0) and names it in the banner: nothing to race for.
            int port = StartBanner.port(line);
            HttpResponse<String> page = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("Quotecast"), page.body());
            try (TestClient client = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/quotes?symbols=ACME"))) {
                client.next(quoteOf("ACME"));
            }
        } finally {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
            process.destroyForcibly();
        }
    }

    /** The documented way to mint a test token, from the jar as shipped, with the secret in the environment. */
    @Test
    void theMintTokenCommandInTheJarMintsATokenTheServerAccepts() throws Exception {
        String secret = "packaging-test-secret-0123456789-abcdefghijkl";
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder mint = new ProcessBuilder(javaBin.toString(), "-jar", JAR.toString(), "mint-token",
                "--sub", "ann", "--symbols", "ACME,GLOBX", "--ttl", "3600");
        mint.environment().put("QUOTECAST_TOKEN_SECRET", secret);
        Process process = mint.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        io.quotecast.security.Verdict verdict = io.quotecast.security.TokenVerifier.of(secret, "").verify(output);
        io.quotecast.security.Viewer viewer = ((io.quotecast.security.Verdict.Admit) verdict).viewer();
        assertEquals("ann", viewer.user());
        assertEquals(java.util.Set.of("ACME", "GLOBX"), viewer.entitlements().symbols());
        assertTrue(viewer.expires().isAfter(java.time.Instant.now().plusSeconds(3500)), viewer.toString());
    }
}
