package io.quotecast.container;

/**
 * The shipped WAR on Open Liberty with servlet-6.0, websocket-2.1 and jsonp-2.1 only: everything {@link ContainerChecks} checks.
 * Runs in the failsafe executions {@code it-liberty} (at the defaults: the {@code liberty} write path) and
 * {@code it-liberty-portable} ({@code connection.writePath=portable}, property {@code it.writePath}), each on a
 * server started by {@link io.quotecast.container.dropin.DropInContainer}.
 */
class LibertyContainerIT extends ContainerChecks {

    /**
     * Liberty's connection link, reached below the Jakarta API (LibertyFrameWriter), under the portable sink;
     * the portable path itself where the execution sets it.
     */
    @Override
    String expectedWritePath() {
        return System.getProperty("it.writePath", "liberty");
    }

    /** A client that stops reading can hold a thread of Quotecast's on Liberty's portable path: the log says so. */
    @Override
    boolean warnsOfThePortablePath() {
        return true;
    }
}
