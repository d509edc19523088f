package io.quotecast.packaging;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client's own pom (src/client/pom.xml) names the versions the main build compiles and tests the client with. */
class ClientPomTest {

    @Test
    void theClientPomsVersionsAreTheMainPoms() throws IOException {
        String main = Files.readString(Path.of("pom.xml"));
        String client = Files.readString(Path.of("src/client/pom.xml"));
        assertEquals(version(main, "<artifactId>quotecast</artifactId>\\s*<version>([^<]+)"),
                version(client, "<artifactId>quotecast-client</artifactId>\\s*<version>([^<]+)"));
        assertDependency(client, "jakarta.websocket-client-api", property(main, "websocket-api.version"));
        assertDependency(client, "jakarta.json-api", property(main, "json-api.version"));
        assertDependency(client, "parsson", property(main, "parsson.version"));
        assertDependency(client, "tyrus-client", property(main, "tyrus.version"));
        assertDependency(client, "tyrus-container-grizzly-client", property(main, "tyrus.version"));
        assertEquals(5, client.split("<dependency>").length - 1, "only those five");
    }

    private static void assertDependency(String pom, String artifactId, String version) {
        assertEquals(version, version(pom, "<artifactId>" + Pattern.quote(artifactId) + "</artifactId>\\s*<version>([^<]+)"), artifactId);
    }

    private static String property(String pom, String name) {
        return version(pom, "<" + Pattern.quote(name) + ">([^<]+)</");
    }

    private static String version(String pom, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(pom);
        assertTrue(matcher.find(), regex);
        return matcher.group(1);
    }
}
