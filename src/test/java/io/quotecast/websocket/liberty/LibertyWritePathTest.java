package io.quotecast.websocket.liberty;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Where Liberty's path applies and where its start-up warning does: Liberty's own containers only (Liberty's
 * suite, {@code LibertyContainerIT}, checks the warning on a real Liberty).
 */
class LibertyWritePathTest {

    @Test
    void anotherServersContainerGetsNeitherLibertysPathNorItsWarning() {
        Object tomcat = new Object();
        assertNull(LibertyWritePath.ifContainer(tomcat, 1000, Runnable::run));
        assertNull(LibertyWritePath.portableCaveat(tomcat, true));
    }
}
