package io.quotecast.container.dropin;

import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A drop-in server's settings, from its container in arquillian.xml (set from pom.xml's failsafe execution). */
public final class DropInConfiguration implements ContainerConfiguration {

    /** tomcat, jetty, liberty or payara. */
    private String kind;
    /** The unpacked distribution. */
    private String home;
    /** The server's own base directory, made anew at start. */
    private String work;
    private int httpPort;
    /** Payara's asadmin port (0: a free one). */
    private int adminPort;
    /** The server JVM's system properties: {@code name=value} separated by white space. */
    private String systemProperties = "";

    @Override
    public void validate() throws ConfigurationException {
        if (kind == null || !java.util.List.of("tomcat", "jetty", "liberty", "payara").contains(kind)) {
            throw new ConfigurationException("kind must be tomcat, jetty, liberty or payara, not " + kind);
        }
        if (home == null || !Files.isDirectory(Path.of(home))) {
            throw new ConfigurationException("no " + kind + " installed at " + home + ": run mvn verify, which unpacks it");
        }
        if (work == null || work.isBlank()) {
            throw new ConfigurationException("no work directory for " + kind);
        }
        if (httpPort <= 0) {
            throw new ConfigurationException("httpPort must be set: " + httpPort);
        }
        properties();
    }

    Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String setting : systemProperties.strip().split("\\s+")) {
            if (setting.isEmpty()) {
                continue;
            }
            int equals = setting.indexOf('=');
            if (equals <= 0) {
                throw new ConfigurationException("not name=value: " + setting);
            }
            properties.put(setting.substring(0, equals), setting.substring(equals + 1));
        }
        return properties;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getHome() {
        return home;
    }

    public void setHome(String home) {
        this.home = home;
    }

    public String getWork() {
        return work;
    }

    public void setWork(String work) {
        this.work = work;
    }

    public int getHttpPort() {
        return httpPort;
    }

    public void setHttpPort(int httpPort) {
        this.httpPort = httpPort;
    }

    public int getAdminPort() {
        return adminPort;
    }

    public void setAdminPort(int adminPort) {
        this.adminPort = adminPort;
    }

    public String getSystemProperties() {
        return systemProperties;
    }

    public void setSystemProperties(String systemProperties) {
        this.systemProperties = systemProperties;
    }
}
