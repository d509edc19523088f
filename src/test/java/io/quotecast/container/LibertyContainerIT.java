package io.quotecast.container;

/**
 * The shipped WAR on Open Liberty with servlet-6.0, websocket-2.1 and jsonp-2.1 only: everything {@link ContainerChecks} checks.
 * Runs in the failsafe execution {@code it-liberty} only, on a server started by
 * {@link io.quotecast.container.dropin.DropInContainer}.
 */
class LibertyContainerIT extends ContainerChecks {

    /** Liberty's connection link, reached below the Jakarta API (LibertyFrameWriter), under the portable sink. */
    @Override
    String expectedWritePath() {
        return "liberty";
    }
}
