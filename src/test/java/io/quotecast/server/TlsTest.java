package io.quotecast.server;

import io.quotecast.testing.RealParts;
import io.quotecast.testing.RunningServer;
import io.quotecast.testing.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * server.tls.keystore: the standalone server's one port speaks https and wss, with a certificate made
 * for this test by keytool, which the test's clients trust (and nothing else).
 */
@RealParts
class TlsTest {

    static final String PASSWORD = "test-keystore-password";

    @TempDir
    static Path dir;
    static Path keystore;
    static RunningServer server;
    static HttpClient trusting;

    @BeforeAll
    static void start() throws Exception {
        keystore = selfSignedKeystore(dir.resolve("quotecast.p12"));
        server = RunningServer.start("server.tls.keystore", keystore.toString(), "server.tls.password", PASSWORD);
        trusting = HttpClient.newBuilder().sslContext(trusting(keystore)).connectTimeout(TestClient.TIMEOUT).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void quotesStreamOverWss() {
        try (TestClient client = TestClient.connect(trusting, wss("?symbols=ACME"), Map.of())) {
            client.next("hello");
            client.next(quoteOf("ACME"));
        }
    }

    @Test
    void theDashboardIsServedOverHttps() throws Exception {
        HttpResponse<String> page = trusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/"))
                .timeout(TestClient.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Quotecast"));
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsNotServed() {
        Exception failure = assertThrows(Exception.class, () -> TestClient.connect(wss(""), new String[0]));
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof SSLHandshakeException)) {
            cause = cause.getCause();
        }
        assertTrue(cause instanceof SSLHandshakeException, "a TLS handshake failure, not plain text: " + failure);
    }

    @Test
    void plainWsOnTheSamePortGetsNoStream() {
        assertThrows(Exception.class, () -> TestClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/quotes")));
    }

    static URI wss(String query) {
        return URI.create("wss://127.0.0.1:" + server.port() + "/quotes" + query);
    }

    static SSLContext trusting(Path keystore) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trusted.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** The JDK's own keytool, as the operator guide uses it. */
    /** A PKCS12 keystore at {@code file} with a self-signed EC certificate for localhost and 127.0.0.1, password {@link #PASSWORD}. */
    static Path selfSignedKeystore(Path file) throws IOException, InterruptedException {
        keytool("-genkeypair", "-alias", "quotecast", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD);
        return file;
    }

    static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, process.exitValue(), "keytool: " + output);
    }
}
