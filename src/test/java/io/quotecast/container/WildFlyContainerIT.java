package io.quotecast.container;

/**
 * The shipped WAR on WildFly (Jakarta EE 10, Undertow's WebSocket implementation): the smoke of
 * {@link ContainerChecks}. Runs in the failsafe execution {@code it-wildfly} only.
 */
class WildFlyContainerIT extends ContainerChecks {

    /** WildFly's Undertow: its channel, reached below the Jakarta API (UndertowFrameSink). */
    @Override
    String expectedWritePath() {
        return "undertow";
    }
}
