package io.quotecast.container;

/**
 * The shipped WAR on Tomcat 10.1 (Jakarta EE 10 Servlet 6.0, Tomcat's own WebSocket implementation): everything {@link ContainerChecks} checks.
 * Runs in the failsafe execution {@code it-tomcat10} only, on a server started by
 * {@link io.quotecast.container.dropin.DropInContainer}.
 */
class TomcatContainerIT extends ContainerChecks {

    /** A servlet container: no JSON-P of its own, so the application uses the WAR's (the WAR carries it for this). */
    @Override
    boolean serverHasJsonP() {
        return false;
    }
}
