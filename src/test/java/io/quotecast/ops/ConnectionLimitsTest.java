package io.quotecast.ops;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionLimitsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void theTotalLimitRefusesAndAdmitsAgainWhenOneCloses() {
        ConnectionLimits limits = new ConnectionLimits(2, 0, 0);
        ConnectionLimits.Admitted first = assertInstanceOf(ConnectionLimits.Admitted.class, limits.admit("1.1.1.1", 0));
        assertInstanceOf(ConnectionLimits.Admitted.class, limits.admit("2.2.2.2", 0));
        ConnectionLimits.Refused refused = assertInstanceOf(ConnectionLimits.Refused.class, limits.admit("3.3.3.3", 0));
        assertEquals(ConnectionLimits.Reason.MAX_CONNECTIONS, refused.reason());
        first.ticket().release();
        first.ticket().release(); // a close reported twice counts once
        assertEquals(1, limits.open());
        assertInstanceOf(ConnectionLimits.Admitted.class, limits.admit("3.3.3.3", 0));
        assertEquals(3, limits.accepted());
        assertEquals(1, limits.refused(ConnectionLimits.Reason.MAX_CONNECTIONS));
    }

    @Test
    void thePerAddressLimitCountsEachAddressApart() {
        ConnectionLimits limits = new ConnectionLimits(100, 2, 0);
        ConnectionLimits.Admitted a1 = assertInstanceOf(ConnectionLimits.Admitted.class, limits.admit("1.1.1.1", 0));
        assertInstanceOf(ConnectionLimits.Admitted.class, limits.admit("1.1.1.1", 0));
        assertEquals(ConnectionLimits.Reason.MAX_CONNECTIONS_PER_ADDRESS,
                assertInstanceOf(ConnectionLimits.Refused.class, limits.admit("1.1.1.1", 0)).reason());
        assertInstanceOf(ConnectionLimits.Admitted.class, limits.admit("2.2.2.2", 0));
        assertEquals(3, limits.open(), "a refused connection holds no place");
        a1.ticket().release();
        assertEquals(1, limits.openFrom("1.1.1.1"));
        assertInstanceOf(ConnectionLimits.Admitted.class, limits.admit("1.1.1.1", 0));
        assertInstanceOf(ConnectionLimits.Admitted.class, limits.admit(ClientAddress.UNKNOWN, 0));
    }

    @Test
    void theHandshakeRateRefusesAStormFromOneAddressAndForgetsQuietOnes() {
        ConnectionLimits limits = new ConnectionLimits(1000, 0, 5);
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            if (limits.admit("1.1.1.1", 0) instanceof ConnectionLimits.Admitted) {
                admitted++;
            }
        }
        assertEquals(5, admitted);
        assertEquals(15, limits.refused(ConnectionLimits.Reason.MAX_HANDSHAKES_PER_ADDRESS));
        assertInstanceOf(ConnectionLimits.Admitted.class, limits.admit("2.2.2.2", 0), "another address is not held up");
        assertInstanceOf(ConnectionLimits.Admitted.class, limits.admit("1.1.1.1", SECOND / 5), "a token back after 1/5 s");
        limits.sweep(10 * SECOND);
        assertEquals(0, limits.trackedAddresses(), "quiet addresses hold no memory");
    }

    /** Many threads connecting and disconnecting at once: every place is counted once, and all come back. */
    @Test
    void countsStayExactUnderConcurrentConnectsAndDisconnects() throws Exception {
        int max = 50;
        int perAddress = 10;
        ConnectionLimits limits = new ConnectionLimits(max, perAddress, 0);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<int[]>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String address = "10.0.0." + (t % 3);
            results.add(pool.submit(() -> {
                start.await();
                int highest = 0;
                List<ConnectionLimits.Ticket> held = new ArrayList<>();
                for (int i = 0; i < 20_000; i++) {
                    if (limits.admit(address, 0) instanceof ConnectionLimits.Admitted admitted) {
                        held.add(admitted.ticket());
                    }
                    highest = Math.max(highest, Math.max(limits.open(), limits.openFrom(address)));
                    if (held.size() > 3 || (i % 7 == 0 && !held.isEmpty())) {
                        ConnectionLimits.Ticket ticket = held.remove(0);
                        ticket.release();
                        ticket.release();
                    }
                }
                held.forEach(ConnectionLimits.Ticket::release);
                return new int[] {highest};
            }));
        }
        start.countDown();
        int highest = 0;
        for (Future<int[]> result : results) {
            highest = Math.max(highest, result.get(60, TimeUnit.SECONDS)[0]);
        }
        pool.shutdown();
        assertEquals(0, limits.open(), "every place given back exactly once");
        for (int a = 0; a < 3; a++) {
            assertEquals(0, limits.openFrom("10.0.0." + a));
        }
        assertTrue(highest <= max + threads, "the total overshoots only by in-flight attempts, never stays above: " + highest);
        assertTrue(limits.refused(ConnectionLimits.Reason.MAX_CONNECTIONS_PER_ADDRESS) > 0, "the per-address limit was hit");
    }
}
