package io.quotecast.container;

/**
 * The shipped WAR on Jetty 12 ee10 (Servlet 6.0, Jetty's Jakarta WebSocket): everything {@link ContainerChecks} checks.
 * Runs in the failsafe execution {@code it-jetty} only, on a server started by
 * {@link io.quotecast.container.dropin.DropInContainer}.
 */
class JettyContainerIT extends ContainerChecks {

    /** A servlet container: no JSON-P of its own, so the application uses the WAR's (the WAR carries it for this). */
    @Override
    boolean serverHasJsonP() {
        return false;
    }
}
