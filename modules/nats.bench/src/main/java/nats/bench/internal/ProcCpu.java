package nats.bench.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's system (kernel) CPU time from Linux {@code /proc/PID/stat}; {@link ProcFs} has user plus system. */
final class ProcCpu {

    private ProcCpu() {
    }

    /** System (kernel) CPU time alone, in nanoseconds: wake-ups and socket calls show here. */
    static long systemNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return Long.parseLong(f[12]) * (1_000_000_000L / ProcFs.TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
