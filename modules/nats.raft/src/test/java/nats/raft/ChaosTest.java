package nats.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real members (threads, fsync'd files) under random stops and restarts (the process killed: what was written
 * stays in the page cache), members cut off the network, and leadership transfers, while a client keeps
 * proposing. History check at the end: every acknowledged value is on every member, exactly once, in one order.
 */
class ChaosTest {

    private static final List<Member> THREE = List.of(Member.voter("n1"), Member.voter("n2"), Member.voter("n3"));

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void acknowledgedValuesSurviveStopsCutsAndTransfers() throws Exception {
        Random random = new Random(42);
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicLong next = new AtomicLong();
        try (LocalCluster c = new LocalCluster(dir, 200)) {
            THREE.forEach(m -> c.start(m.id(), THREE));
            c.awaitLeader();
            Thread client = Thread.ofPlatform().start(() -> propose(c, next, acknowledged));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            int faults = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(200 + random.nextInt(400));
                String victim = THREE.get(random.nextInt(3)).id();
                switch (random.nextInt(3)) {
                    case 0 -> {
                        c.stop(victim);
                        Thread.sleep(random.nextInt(500));
                        c.start(victim, THREE);
                    }
                    case 1 -> {
                        c.cut.add(victim);
                        Thread.sleep(300 + random.nextInt(700));
                        c.cut.remove(victim);
                    }
                    default -> c.leader().ifPresent(l -> l.stepDown());
                }
                faults++;
            }
            client.interrupt();
            client.join(10_000);
            c.cut.clear();
            RaftNode leader = c.awaitLeader();
            long marker = leader.propose(ByteBuffer.allocate(8).putLong(-1).array()).get(10, TimeUnit.SECONDS);
            LocalCluster.await(() -> c.nodes.values().stream().allMatch(n -> n.appliedIndex() >= marker),
                    "every member to apply the marker at " + marker);
            List<Long> reference = values(c.logs.get(leader.id()));
            assertTrue(acknowledged.size() > 100, "expected progress between the faults, acknowledged " + acknowledged.size()
                    + " after " + faults + " faults");
            for (String id : c.nodes.keySet()) {
                List<Long> values = values(c.logs.get(id));
                assertEquals(values.size(), new HashSet<>(values).size(), () -> id + " applied a value twice");
                assertEquals(reference, values, () -> id + " applied other values or another order than the leader");
            }
            Set<Long> missing = new HashSet<>(acknowledged);
            missing.removeAll(reference);
            assertTrue(missing.isEmpty(), () -> "acknowledged values lost: " + missing);
        }
    }

    private static List<Long> values(LocalCluster.Log log) {
        List<Long> values = new ArrayList<>();
        synchronized (log.entries) {
            log.entries.forEach(e -> values.add(ByteBuffer.wrap(e).getLong()));
        }
        return values;
    }

    private static void propose(LocalCluster c, AtomicLong next, Set<Long> acknowledged) {
        Semaphore window = new Semaphore(8);
        while (!Thread.currentThread().isInterrupted()) {
            RaftNode leader = c.leader().orElse(null);
            if (leader == null) {
                sleep();
                continue;
            }
            try {
                window.acquire();
            } catch (InterruptedException e) {
                return;
            }
            long value = next.getAndIncrement();
            leader.propose(ByteBuffer.allocate(8).putLong(value).array())
                    .orTimeout(5, TimeUnit.SECONDS)
                    .whenComplete((index, error) -> {
                        if (error == null) {
                            acknowledged.add(value);
                        }
                        window.release();
                    });
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
