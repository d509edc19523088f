package io.quotecast.dashboard;

import io.quotecast.testing.RealParts;
import io.quotecast.testing.ServerPerClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A subscribe the server refuses is shown on the page, not left as a silently empty table. */
@RealParts
class RefusedSubscribeTest {

    @RegisterExtension
    static final Chromium CHROMIUM = new Chromium();

    /** At most 3 symbols a connection: the page's subscribe to all 50 is refused whole. */
    @RegisterExtension
    static final ServerPerClass server = new ServerPerClass("connection.maxSymbols", "3");

    @Test
    void aSubscribeAboveTheSymbolLimitIsShownAsTooManySymbols() {
        Dashboard page = new Dashboard(CHROMIUM.driver()).open(server.page("/"));
        page.waitState("live");
        Chromium.console(CHROMIUM.driver()); // the browser is shared: what earlier pages logged is theirs
        page.waitUntil("the refusal shown", () -> "too_many_symbols".equals(page.js(
                "const n = document.getElementById('notice'); return n.hidden ? null : n.dataset.code")));
        assertEquals(List.of(), Chromium.errors(Chromium.console(CHROMIUM.driver())));
    }
}
