package io.quotecast.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A process's CPU time so far (user and system), from {@code /proc/<pid>/stat}: to measure another JVM over a window. */
public final class ProcessCpu {

    /** The kernel's clock ticks a second ({@code getconf CLK_TCK}): 100 on Linux. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    public static Duration of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
