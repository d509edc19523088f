package io.quotecast.bench;

import io.quotecast.config.Settings;
import io.quotecast.market.Symbol;
import io.quotecast.market.SymbolCatalog;
import io.quotecast.stream.QuoteFormat;
import io.quotecast.testing.AppServer;
import io.quotecast.testing.LoadGenerator;
import io.quotecast.websocket.QuoteEncoder;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The WAR benchmark (not a test): Quotecast's WAR, unchanged, and the textbook ticker built as a WAR
 * ({@link TextbookEndpoint}, {@link TextbookFeed}), each deployed alone to a freshly started
 * GlassFish, WildFly, Payara, Open Liberty, Tomcat 10.1 and 11, Jetty 12 (the servers the build unpacks), under load A from {@link LoadGenerator}
 * in this JVM, on the same cores.
 *
 * <pre>mvn -q -Pbench-war verify</pre>
 *
 * Knobs: {@code bench.appServers} ({@code glassfish,wildfly,payara,liberty,tomcat10,tomcat11,jetty}), {@code bench.servers}
 * ({@code quotecast,textbook}), {@code bench.phases} ({@code A}; also F, P), {@code bench.settings}
 * (Quotecast settings for the servers, e.g. {@code connection.flushMillis=10}), {@code bench.warmup}
 * (15 s: an application server's JIT is still at work 5 s in), {@code bench.peers} ({@code netty}: the
 * Netty peer, {@link NettyTicker}, run standalone under each phase first, as the reference the
 * application servers are read against; empty for none), and those of {@link FanoutBenchmark} for the loads.
 */
public final class WarBenchmark {

    private WarBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = Integer.getInteger("bench.warmup", 15);
        int seconds = Integer.getInteger("bench.seconds", 20);
        int clients = Integer.getInteger("bench.clients", 1000);
        int symbolsPerClient = Integer.getInteger("bench.symbolsPerClient", 5);
        int paused = Integer.getInteger("bench.paused", 50);
        double feed = Double.parseDouble(System.getProperty("bench.feed", "1000"));
        double fastFeed = Double.parseDouble(System.getProperty("bench.fastFeed", "5000"));
        int loadThreads = Integer.getInteger("bench.loadThreads", 2);
        List<String> phases = List.of(System.getProperty("bench.phases", "A").split(","));
        List<String> appServers = List.of(System.getProperty("bench.appServers", "glassfish,wildfly,payara,liberty,tomcat10,tomcat11,jetty").split(","));
        List<String> tickers = List.of(System.getProperty("bench.servers", "quotecast,textbook").split(","));
        Path quotecastWar = Path.of(System.getProperty("bench.war", "target/quotecast.war"));
        Path glassFishHome = Path.of(System.getProperty("bench.glassfishHome", "target/servers/glassfish7"));
        Path wildFlyHome = Path.of(System.getProperty("bench.wildflyHome", "target/servers/wildfly-38.0.1.Final"));
        Path tomcat10Home = Path.of(System.getProperty("bench.tomcat10Home", "target/servers/apache-tomcat-10.1.59"));
        Path tomcat11Home = Path.of(System.getProperty("bench.tomcat11Home", "target/servers/apache-tomcat-11.0.24"));
        Path jettyHome = Path.of(System.getProperty("bench.jettyHome", "target/servers/jetty-home-12.0.30"));
        Path libertyHome = Path.of(System.getProperty("bench.libertyHome", "target/servers/wlp"));
        Path payaraHome = Path.of(System.getProperty("bench.payaraHome", "target/servers/payara6"));
        Path textbookWar = textbookWar(Path.of("target", "bench", "textbook.war"));
        // Settings for both WARs, as the servers' system properties: "connection.flushMillis=10,..."
        Map<String, String> extraProperties = new LinkedHashMap<>();
        for (String setting : System.getProperty("bench.settings", "").split(",")) {
            if (!setting.isBlank()) {
                extraProperties.put(setting.substring(0, setting.indexOf('=')).strip(), setting.substring(setting.indexOf('=') + 1).strip());
            }
        }

        List<String> symbols = SymbolCatalog.load(Settings.load().feed().symbols()).all().stream().map(Symbol::ticker).toList();
        Map<String, FanoutBenchmark.Load> loads = new LinkedHashMap<>();
        loads.put("A", new FanoutBenchmark.Load("A", clients + " clients x " + symbolsPerClient + " symbols, feed "
                + (long) feed + " ticks/s", clients, symbolsPerClient, 0, feed, 0));
        loads.put("F", new FanoutBenchmark.Load("F", "1 client x all " + symbols.size() + " symbols next to " + clients
                + " clients x 1 symbol, feed " + (long) fastFeed + " ticks/s", clients, 1, 0, fastFeed, 1));
        loads.put("P", new FanoutBenchmark.Load("P", clients + " clients x " + symbolsPerClient + " symbols, " + paused
                + " of them paused (never read), feed " + (long) feed + " ticks/s", clients, symbolsPerClient, paused, feed, 0));

        System.out.printf("WAR benchmark, %s, %d cores (shared with the load generator), load average at start %s; "
                        + "warm-up %d s, measured %d s per phase; settings %s%n",
                LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME), Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).strip(), warmup, seconds, extraProperties);
        List<String> peers = List.of(System.getProperty("bench.peers", "netty").split(","));
        for (String peer : peers) {
            if (peer.isBlank()) {
                continue;
            }
            for (String phase : phases) {
                FanoutBenchmark.print(FanoutBenchmark.run(peer.strip(), loads.get(phase.strip()), symbols,
                        List.of("-Xmx1g", "-Xmn64m"), warmup, seconds, loadThreads));
            }
        }
        for (String appServer : appServers) {
            List<FanoutBenchmark.Result> results = new ArrayList<>();
            for (String phase : phases) {
                FanoutBenchmark.Load load = loads.get(phase.strip());
                for (String ticker : tickers) {
                    boolean quotecast = ticker.equals("quotecast");
                    Path war = quotecast ? quotecastWar : textbookWar;
                    Map<String, String> properties = new LinkedHashMap<>(extraProperties);
                    properties.put("feed.ticksPerSecond", Double.toString(load.feed()));
                    String label = appServer + " " + ticker;
                    Path work = Path.of("target", "bench", appServer);
                    try (MeasuredServer server = MeasuredServer.of(switch (appServer) {
                        case "glassfish" -> AppServer.glassFish(glassFishHome, work, war, ticker, properties);
                        case "wildfly" -> AppServer.wildFly(wildFlyHome, work, war, ticker, properties);
                        case "tomcat10" -> AppServer.tomcat(tomcat10Home, work, war, ticker, properties);
                        case "tomcat11" -> AppServer.tomcat(tomcat11Home, work, war, ticker, properties);
                        case "jetty" -> AppServer.jetty(jettyHome, work, war, ticker, properties);
                        case "liberty" -> AppServer.liberty(libertyHome, work, war, ticker, properties);
                        case "payara" -> AppServer.payara(payaraHome, work, war, ticker, properties);
                        default -> throw new IllegalArgumentException("no application server " + appServer);
                    })) {
                        FanoutBenchmark.Result result = FanoutBenchmark.measure(label, load, symbols, server, warmup, seconds, loadThreads);
                        results.add(result);
                        FanoutBenchmark.print(result);
                    }
                }
            }
            FanoutBenchmark.summarize(results, loads.values(), appServer + " quotecast", appServer + " textbook");
        }
    }

    private static java.io.File jarOf(Class<?> type) throws Exception {
        return new java.io.File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** The textbook ticker as a WAR: its endpoint and feed, the market and settings it shares with Quotecast. */
    static Path textbookWar(Path file) throws Exception {
        WebArchive war = ShrinkWrap.create(WebArchive.class, "textbook.war")
                .addClasses(TextbookEndpoint.class, TextbookFeed.class, TextbookWebListener.class, QuoteEncoder.class, QuoteFormat.class)
                .addPackage(Settings.class.getPackage())
                .addPackage(SymbolCatalog.class.getPackage())
                .addAsResource("config/quotecast.properties")
                .addAsResource("config/symbols.csv")
                // a page at the context root: the drop-in servers are seen deployed when it answers 200
                .addAsWebResource(new org.jboss.shrinkwrap.api.asset.StringAsset("textbook ticker\n"), "index.html")
                // JSON-P as Quotecast's WAR carries it, for the servlet containers that have none
                .addAsLibraries(jarOf(jakarta.json.Json.class), jarOf(org.eclipse.parsson.JsonProviderImpl.class));
        Files.createDirectories(file.getParent());
        war.as(ZipExporter.class).exportTo(file.toFile(), true);
        return file;
    }
}
