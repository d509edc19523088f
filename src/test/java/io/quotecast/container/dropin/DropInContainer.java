package io.quotecast.container.dropin;

import io.quotecast.testing.AppServer;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An Arquillian container for the servers that {@link AppServer} starts and deploys to by itself
 * (Tomcat, Jetty, Open Liberty: a WAR dropped into a watched directory; Payara: asadmin): start()
 * starts the server with no WAR, deploy() puts the archive in and returns once its context answers,
 * undeploy() takes it out and returns once the context is gone, stop() stops the JVM. What each server
 * needs to be started and deployed to is written once, in {@link AppServer}. Client-side only: the
 * archives are deployed unchanged ({@code testable = false}), the tests run as clients.
 */
public final class DropInContainer implements DeployableContainer<DropInConfiguration> {

    /** The running server, for {@link #systemProperty} (one container per failsafe JVM). */
    private static volatile AppServer running;

    private DropInConfiguration configuration;
    private AppServer server;
    private String deployed;

    @Override
    public Class<DropInConfiguration> getConfigurationClass() {
        return DropInConfiguration.class;
    }

    @Override
    public void setup(DropInConfiguration configuration) {
        this.configuration = configuration;
    }

    /** The context root: the archive's name without .war (ContainerChecks: quotecast.war, /quotecast). */
    private static String contextRoot(Archive<?> archive) {
        String name = archive.getName();
        if (!name.endsWith(".war")) {
            throw new IllegalArgumentException("a WAR, not " + name);
        }
        return name.substring(0, name.length() - ".war".length());
    }

    @Override
    public void start() throws LifecycleException {
        // The context root is fixed at start; deploy() checks that the archive's name gives it.
        Path home = Path.of(configuration.getHome());
        Path work = Path.of(configuration.getWork());
        int http = configuration.getHttpPort();
        var properties = configuration.properties();
        long begin = System.nanoTime();
        try {
            server = switch (configuration.getKind()) {
                case "tomcat" -> AppServer.tomcat(home, work, http, null, CONTEXT_ROOT, properties);
                case "jetty" -> AppServer.jetty(home, work, http, null, CONTEXT_ROOT, properties);
                case "liberty" -> AppServer.liberty(home, work, http, null, CONTEXT_ROOT, properties);
                case "payara" -> AppServer.payara(home, work, http, configuration.getAdminPort(), null, CONTEXT_ROOT, properties);
                default -> throw new IllegalStateException(configuration.getKind());
            };
        } catch (RuntimeException e) {
            throw new LifecycleException(configuration.getKind() + " did not start: " + e.getMessage(), e);
        }
        running = server;
        // A test JVM that dies (a killed build) must not leave the server it started behind.
        AppServer started = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (running == started) {
                started.close();
            }
        }, "dropin-server-stop"));
        timing("start", begin);
    }

    /** Prints a measurement and keeps it in target/container-timings.txt, beside the tests' own. */
    private void timing(String what, long begin) {
        String line = "TIMING server=" + System.getProperty("arquillian.launch") + " " + what + "="
                + (System.nanoTime() - begin) / 1_000_000 + "ms";
        System.out.println(line);
        try {
            Files.writeString(Path.of("target", "container-timings.txt"), line + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The one context root this container deploys to (ContainerChecks' WAR). */
    static final String CONTEXT_ROOT = "quotecast";

    @Override
    public void stop() throws LifecycleException {
        running = null;
        if (server != null) {
            long begin = System.nanoTime();
            try {
                server.close();
                timing("stop", begin);
            } catch (RuntimeException e) {
                throw new LifecycleException(configuration.getKind() + " did not stop: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public ProtocolDescription getDefaultProtocol() {
        return new ProtocolDescription("Local");
    }

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        if (!CONTEXT_ROOT.equals(contextRoot(archive))) {
            throw new DeploymentException("this container deploys " + CONTEXT_ROOT + ".war only, not " + archive.getName());
        }
        try {
            Path file = Path.of(configuration.getWork()).resolveSibling(configuration.getKind() + "-" + archive.getName());
            archive.as(ZipExporter.class).exportTo(file.toFile(), true);
            try {
                server.deploy(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new DeploymentException("could not stage " + archive.getName(), e);
        } catch (RuntimeException e) {
            throw new DeploymentException(archive.getName() + " did not deploy: " + e.getMessage(), e);
        }
        deployed = archive.getName();
        return new ProtocolMetaData().addContext(new HTTPContext("127.0.0.1", server.port()));
    }

    @Override
    public void undeploy(Archive<?> archive) throws DeploymentException {
        try {
            server.undeploy();
        } catch (RuntimeException e) {
            throw new DeploymentException(archive.getName() + " did not undeploy: " + e.getMessage(), e);
        }
        deployed = null;
    }

    /**
     * Sets a system property of the running server as its operator would (AppServer: a restart with it
     * for Tomcat, Jetty and Liberty, asadmin for Payara); read by the application at its next deploy.
     */
    public static void systemProperty(String name, String value) {
        AppServer server = running;
        if (server == null) {
            throw new IllegalStateException("no drop-in server running");
        }
        server.systemProperty(name, value);
    }

    @Override
    public String toString() {
        return "DropInContainer[" + (configuration == null ? "?" : configuration.getKind()) + ", " + deployed + "]";
    }
}
