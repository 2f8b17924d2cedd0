package nats.server.internal.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory and CPU use of this process for {@code /varz}, read from Linux's {@code /proc} as the Go
 * server's {@code pse} package does (so no {@code java.management} is needed). Elsewhere both read as 0.
 *
 * <p>CPU is the Go server's definition: percent of one core used over the last sampling window, with one
 * decimal. Go samples every second on a timer; this samples lazily, on the {@code /varz} requests that come
 * at least a second after the previous sample, and otherwise reports the last value. The first value is
 * the average since the process started, as Go's first sample is.
 */
final class ProcessUsage {

    /** {@code USER_HZ}; Go hard-codes 100 too, which is what Linux reports on every common platform. */
    private static final long TICKS_PER_SECOND = 100;
    private static final Path STAT = Path.of("/proc/self/stat");
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path UPTIME = Path.of("/proc/uptime");

    private long lastTicks;
    private long lastNanos;
    private double cpu;

    private boolean sampled;

    ProcessUsage() {
        // The first sample is taken at the first request, not here: reading /proc is not start-up work.
    }

    /** The first sample: CPU use averaged over the process's life so far, as Go's first pcpu. */
    private void firstSample() {
        sampled = true;
        long[] sample = cpuTicksAndStart();
        if (sample != null) {
            lastTicks = sample[0];
            lastNanos = System.nanoTime();
            double runningSeconds = systemUptimeSeconds() - (double) sample[1] / TICKS_PER_SECOND;
            if (runningSeconds > 0) {
                cpu = percent(sample[0], runningSeconds);
            }
        }
    }

    /** Resident set size in bytes ({@code VmRSS}), or 0 when unknown. */
    long residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    long kb = Long.parseLong(parts[0]);
                    return kb * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or an unexpected format: report 0 like an unsupported platform.
        }
        return 0;
    }

    /** Percent of one core used recently (Go's {@code pcpu}), or 0 when unknown. */
    synchronized double cpuPercent() {
        if (!sampled) {
            firstSample();
            return cpu;
        }
        long now = System.nanoTime();
        if (now - lastNanos >= 1_000_000_000L) {
            long[] sample = cpuTicksAndStart();
            if (sample != null) {
                double seconds = (now - lastNanos) / 1e9;
                cpu = percent(sample[0] - lastTicks, seconds);
                lastTicks = sample[0];
                lastNanos = now;
            }
        }
        return cpu;
    }

    /** User plus system CPU time of the process so far, in seconds; -1 when unknown. */
    double cpuSeconds() {
        long[] sample = cpuTicksAndStart();
        return sample == null ? -1 : (double) sample[0] / TICKS_PER_SECOND;
    }

    /** As Go: integer per-mille of a core, then divided by ten. */
    private static double percent(long ticks, double seconds) {
        long perMille = (long) ((ticks * 1000.0 / TICKS_PER_SECOND) / seconds);
        return Math.max(0, perMille) / 10.0;
    }

    /** utime + stime and the start time, in clock ticks; null when {@code /proc} is not there. */
    private static long[] cpuTicksAndStart() {
        try {
            String stat = Files.readString(STAT, StandardCharsets.US_ASCII);
            // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // f[0] is field 3 (state); utime, stime and starttime are fields 14, 15 and 22.
            return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[19])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static double systemUptimeSeconds() {
        try {
            return Double.parseDouble(Files.readString(UPTIME, StandardCharsets.US_ASCII).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
