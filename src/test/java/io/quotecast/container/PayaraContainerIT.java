package io.quotecast.container;

/**
 * The shipped WAR on Payara 6 (Jakarta EE 10, Tyrus): everything {@link ContainerChecks} checks.
 * Runs in the failsafe execution {@code it-payara} only, on a server started by
 * {@link io.quotecast.container.dropin.DropInContainer}.
 */
class PayaraContainerIT extends ContainerChecks {

    /** Payara's WebSocket implementation is Tyrus, as GlassFish's: its writer, reached below the Jakarta API (TyrusWriterSink). */
    @Override
    String expectedWritePath() {
        return "tyrus-writer";
    }
}
