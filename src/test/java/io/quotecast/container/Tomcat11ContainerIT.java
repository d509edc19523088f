package io.quotecast.container;

/**
 * The shipped WAR on Tomcat 11 (Jakarta EE 11 Servlet 6.1, Tomcat's own WebSocket implementation): everything {@link ContainerChecks} checks.
 * Runs in the failsafe execution {@code it-tomcat11} only, on a server started by
 * {@link io.quotecast.container.dropin.DropInContainer}.
 */
class Tomcat11ContainerIT extends ContainerChecks {

    /** A servlet container: no JSON-P of its own, so the application uses the WAR's (the WAR carries it for this). */
    @Override
    boolean serverHasJsonP() {
        return false;
    }
}
