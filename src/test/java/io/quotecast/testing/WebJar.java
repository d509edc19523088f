package io.quotecast.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The chart library's WebJar as the build resolved it: its version read from the jar's own Maven
 * metadata, so that the tests follow a version bump in the pom and catch a page that still imports
 * the old path.
 */
public final class WebJar {

    /** The uPlot ES module, relative to the dashboard's root. */
    public static final String UPLOT_MODULE = "webjars/uplot/" + version("org.webjars.npm", "uplot") + "/dist/uPlot.esm.js";

    private WebJar() {
    }

    static String version(String group, String artifact) {
        String path = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = WebJar.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no " + path + " on the classpath: is the WebJar a dependency?");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
