package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default run's partition case (25–30 s): {@link ClusterPartitionTest#leaderIsolatedThenHealed} at
 * 60 messages a second. The leader, cut off both ways through the {@link RouteProxy}, steps down; the others go
 * on; nothing is acknowledged through its server until the heal; afterwards all replicas hold exactly the
 * acknowledged history.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterPartitionQuickTest {

    @TempDir
    Path dir;

    @Test
    void leaderIsolatedThenHealed() throws Exception {
        new ClusterPartitionTest.Scenario(dir, 60).run((s, leader, followers) -> {
            s.proxy.isolate(leader, followers);
            s.markCut();
            assertTrue(followers.contains(s.awaitLeaderOtherThan(leader)));
            s.awaitNotLeading(leader);
            s.bystander.awaitAcked(s.bystander.ackedCount() + 60, ClusterPartitionTest.WAIT);
            s.assertNoAckFromCutLeader();
            s.proxy.heal();
        }, "leader isolated (quick)");
    }
}
