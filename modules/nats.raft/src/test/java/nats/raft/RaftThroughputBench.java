package nats.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replication throughput of three members in one JVM with the real file log (fsync before every acknowledgement
 * and before the leader commits), 128-byte entries, a window of proposals in flight. Results: docs/benchmarks.md.
 * Run with {@code mvn -pl modules/nats.raft verify -Dtest.excludedGroups=none -Dgroups=bench}.
 */
@Tag("bench")
class RaftThroughputBench {

    private static final List<Member> THREE = List.of(Member.voter("n1"), Member.voter("n2"), Member.voter("n3"));

    @ParameterizedTest(name = "{0} in flight")
    @ValueSource(ints = {1, 16, 256})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void replicate(int window) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "raft-bench");
        try (LocalCluster c = new LocalCluster(dir, 1_000_000, java.time.Duration.ofSeconds(2))) {
            THREE.forEach(m -> c.start(m.id(), THREE));
            RaftNode leader = c.awaitLeader();
            byte[] payload = new byte[128];
            int warmup = window == 1 ? 200 : 2_000;
            int count = window == 1 ? 2_000 : 50_000;
            run(leader, payload, warmup, window, new long[warmup]);
            long[] latencies = new long[count];
            long start = System.nanoTime();
            run(leader, payload, count, window, latencies);
            double seconds = (System.nanoTime() - start) / 1e9;
            java.util.Arrays.sort(latencies);
            System.out.printf(Locale.ROOT, "RAFT bench: leader %s term %d%n", leader.id(), leader.term());
            System.out.printf(Locale.ROOT, "RAFT bench: window %d: %d entries in %.2f s = %.0f entries/s, latency p50 %.2f ms,"
                    + " p99 %.2f ms%n", window, count, seconds, count / seconds, latencies[count / 2] / 1e6,
                    latencies[count * 99 / 100] / 1e6);
            LocalCluster.await(() -> c.logs.values().stream().allMatch(l -> l.size() == warmup + count),
                    "every member to apply everything");
            assertEquals(warmup + count, c.logs.get(leader.id()).size(), "expected every entry applied on the leader");
        }
    }

    private static void run(RaftNode leader, byte[] payload, int count, int window, long[] latencies) throws Exception {
        Semaphore inFlight = new Semaphore(window);
        AtomicLong failures = new AtomicLong();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            long sent = System.nanoTime();
            int slot = i;
            leader.propose(payload).whenComplete((index, error) -> {
                latencies[slot] = System.nanoTime() - sent;
                if (error != null && failures.incrementAndGet() == 1) {
                    System.out.println("RAFT bench: first failure: " + error);
                }
                inFlight.release();
            });
        }
        inFlight.acquire(window);
        assertEquals(0, failures.get(), "expected no failed proposal");
    }
}
