package io.quotecast.dashboard;

import io.quotecast.cluster.EmbeddedBroker;
import io.quotecast.testing.ConfiguredSymbols;
import io.quotecast.testing.Eventually;
import io.quotecast.testing.NodeProcess;
import io.quotecast.testing.RealParts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dashboard on a subscribing node whose broker has gone: the snapshots it gets are stale
 * (docs/protocol.md), and the page shows it plainly, row by row and in the top bar, until live
 * quotes come back.
 */
@RealParts
class StaleDashboardTest {

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    private EmbeddedBroker broker;
    private NodeProcess publisher;
    private NodeProcess subscriber;

    @AfterEach
    void stopAll() {
        if (subscriber != null) {
            subscriber.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aPageOnANodeThatLostItsBrokerMarksEveryRowStaleUntilLiveQuotesReturn() {
        String url = "tcp://127.0.0.1:" + NodeProcess.freePort();
        broker = EmbeddedBroker.start(url);
        publisher = NodeProcess.start("stale-publisher", "feed.mode", "publish", "broker.url", url, "feed.ticksPerSecond", "200");
        subscriber = NodeProcess.start("stale-subscriber", "feed.mode", "subscribe", "broker.url", url);
        Eventually.await("the subscriber has the publisher's ticks",
                () -> "UP".equals(subscriber.health().getJsonObject("broker").getString("state")), Duration.ofSeconds(30));

        broker.close();
        broker = null;
        Eventually.await("the subscriber shows the broker DOWN",
                () -> "DOWN".equals(subscriber.health().getJsonObject("broker").getString("state")), Duration.ofSeconds(30));

        Chromium.console(CHROMIUM.driver()); // drain what pages of earlier test classes logged
        Dashboard page = new Dashboard(CHROMIUM.driver()).open(subscriber.page("/"));
        int symbols = ConfiguredSymbols.count();
        page.waitUntil("every row marked stale", () -> staleRows(page) == symbols);
        String detail = (String) page.js("return document.getElementById('status-detail').textContent");
        assertTrue(detail.startsWith("Stale: the server has lost its feed"), detail);
        assertTrue((Boolean) page.js("return document.getElementById('status').classList.contains('stale')"));

        broker = EmbeddedBroker.start(url);
        page.waitUntil("live quotes replace the stale ones", () -> staleRows(page) < symbols);
        page.waitUntil("and the top bar says so", () -> !((String) page.js(
                "return document.getElementById('status-detail').textContent")).startsWith("Stale"));
    }

    private static long staleRows(Dashboard page) {
        return (Long) page.js("return document.querySelectorAll('#rows tr.stale').length");
    }
}
