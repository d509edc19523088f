package io.quotecast.web;

import jakarta.json.Json;
import jakarta.json.spi.JsonProvider;

/**
 * Where the WAR's JSON-P comes from, for the start-up log. A servlet container (Tomcat, Jetty) has no
 * JSON-P, so the WAR carries the API and Parsson in {@code WEB-INF/lib}. An EE server's own must win
 * over them, and does without a descriptor of ours: GlassFish, Payara and Open Liberty look in the
 * server first (parent-first class loading), WildFly puts its {@code jakarta.json.api} module ahead
 * of the deployment's jars. The API's {@code Json} class then comes from the server, and the provider
 * it finds through the application's class loader implements that same API. The container tests
 * check this line on every server.
 */
final class JsonSource {

    private JsonSource() {
    }

    /** E.g. {@code "API from the server, provider org.eclipse.parsson.JsonProviderImpl from the server"}. */
    static String describe() {
        ClassLoader application = JsonSource.class.getClassLoader();
        Class<?> provider = JsonProvider.provider().getClass();
        return "API from " + origin(Json.class, application) + ", provider " + provider.getName()
                + " from " + origin(provider, application);
    }

    private static String origin(Class<?> type, ClassLoader application) {
        return type.getClassLoader() == application ? "the WAR" : "the server";
    }
}
