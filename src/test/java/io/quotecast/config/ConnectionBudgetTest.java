package io.quotecast.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** server.maxConnections=auto: the budget computed from a given open-file limit and heap, and the operator's warning. */
class ConnectionBudgetTest {

    private static final long GIB = 1L << 30;

    @Test
    void autoIsTheOpenFileLimitLessItsReserve() {
        assertEquals(944, ConnectionBudget.automatic(1200, 4 * GIB).maxConnections(), "1200 - 256");
        assertEquals(18_000, ConnectionBudget.automatic(20_000, 4 * GIB).maxConnections(), "20000 - 10 %");
        assertEquals(768, ConnectionBudget.automatic(1024, 4 * GIB).maxConnections(), "1024 - 256, the usual ulimit -n");
    }

    @Test
    void theHeapCapsAHugeOpenFileLimit() {
        ConnectionBudget budget = ConnectionBudget.automatic(1_048_576, GIB);
        assertEquals(20_971, budget.maxConnections(), "1 GiB at 50 KiB a connection, not 943,718");
    }

    @Test
    void anUnknownLimitLeavesTheHeapAlone() {
        assertEquals(20_971, ConnectionBudget.automatic(-1, GIB).maxConnections());
    }

    @Test
    void aLimitSmallerThanTheReserveStillAdmitsOne() {
        assertEquals(1, ConnectionBudget.automatic(100, GIB).maxConnections());
    }

    @Test
    void theStartUpLineSaysWhereTheLimitCameFrom() {
        String line = ConnectionBudget.automatic(1200, 4 * GIB).describe();
        assertTrue(line.contains("server.maxConnections=944") && line.contains("auto") && line.contains("open-file limit 1200")
                && line.contains("reserve of 256"), line);
    }

    @Test
    void anOperatorsNumberAboveTheBudgetIsWarnedAboutWithBothNumbersAndTheRemedy() {
        String warning = ConnectionBudget.configured(20_000, 20_000, 4 * GIB).warning().orElseThrow();
        assertTrue(warning.contains("20000") && warning.contains("18000"), warning);
        assertTrue(warning.contains("ulimit -n") && warning.contains("LimitNOFILE") && warning.contains("--ulimit"), warning);
        assertTrue(warning.contains("22223") || warning.contains("22222"), "the limit that would hold 20,000: " + warning);
        long needed = ConnectionBudget.openFilesFor(20_000);
        assertTrue(ConnectionBudget.automatic(needed, 4 * GIB).maxConnections() >= 20_000, "the advised limit holds them");
        assertTrue(ConnectionBudget.automatic(needed - 1, 4 * GIB).maxConnections() < 20_000, "and is the least that does");
    }

    @Test
    void anOperatorsNumberWithinTheBudgetOrAnUnknownLimitIsNotWarnedAbout() {
        assertTrue(ConnectionBudget.configured(18_000, 20_000, GIB).warning().isEmpty());
        assertTrue(ConnectionBudget.configured(50_000, -1, GIB).warning().isEmpty());
        assertTrue(ConnectionBudget.automatic(20_000, GIB).warning().isEmpty());
    }

    @Test
    void thisProcessesLimitIsRead() {
        assertTrue(ConnectionBudget.processOpenFileLimit() > 0, "Linux tells it");
    }
}
