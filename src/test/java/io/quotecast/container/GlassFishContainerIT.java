package io.quotecast.container;

import io.quotecast.dashboard.Chromium;
import io.quotecast.dashboard.Dashboard;
import io.quotecast.testing.TestClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.quotecast.testing.TestClient.quoteOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped WAR on GlassFish 7 (Jakarta EE 10, Tyrus): everything {@link ContainerChecks} checks, and
 * the edge cases of the protocol on top. Runs in the failsafe execution {@code it-glassfish} only.
 */
class GlassFishContainerIT extends ContainerChecks {

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    @Test
    @Order(40)
    void theDashboardGoesLiveUnderTheWarsContextPathWithoutASetting() {
        Dashboard page = new Dashboard(CHROMIUM.driver()).open(SERVER.page("/"));
        page.waitState("live");
        assertEquals(SERVER.stream("").toString(), page.js("return window.quotecast.streamUrl"),
                "the stream URL derived from the page's own location keeps /quotecast");
        page.waitUntil("all 50 symbols listed", () -> ((Number) page.js(
                "return document.querySelectorAll('#rows tr[data-symbol]').length")).intValue() == 50);
        page.waitUntil("a live price on every row", () -> ((Number) page.js(
                "return document.querySelectorAll('#rows tr[data-price]').length")).intValue() == 50);
        Chromium.screenshot(CHROMIUM.driver(), "glassfish-desktop-light");
        assertEquals(List.of(), Chromium.errors(Chromium.console(CHROMIUM.driver())));
    }

    @Test
    @Order(100)
    void aClientOfferingNoSubprotocolIsServedTheSame() {
        try (TestClient client = SERVER.connect()) {
            assertEquals("", client.subprotocol());
            client.next("hello");
            client.send("{\"action\":\"subscribe\",\"symbols\":[\"ACME\"]}");
            client.next("subscribed");
            assertTrue(client.next(quoteOf("ACME")).getBoolean("snapshot"));
        }
    }

    @Test
    @Order(101)
    void moreBadInputIsAnsweredAndTheConnectionStaysUsable() {
        try (TestClient client = SERVER.connect()) {
            client.next("hello");
            client.send("[{\"action\":\"list\"}]");
            assertError(client.next("error"), "bad_request");
            client.send("{\"action\":\"subscribe\"}");
            JsonObject missing = client.next("error");
            assertError(missing, "bad_request");
            assertTrue(missing.getString("message").contains("symbols"), missing.toString());
            client.sendBinary(new byte[] {1, 2, 3});
            assertError(client.next("error"), "bad_request");
            client.send("{\"action\":\"history\",\"symbol\":\"NOPE\",\"interval\":\"1s\"}");
            assertError(client.next("error"), "unknown_symbol");
            client.send("{\"action\":\"list\"}");
            assertEquals(50, client.next("symbols").getJsonArray("symbols").size());
            assertFalse(client.isClosedByServer());
        }
    }
}
