package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that starts after the meta group was formed joins it (the leader answers its question and adds it) rather
 * than creating a group of its own; streams can then be placed on it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LateJoinTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aLateServerJoinsTheMetaGroup() throws Exception {
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            cluster.start("A");
            cluster.start("B");
            String leader = cluster.awaitMetaLeader(WAIT);
            Map<?, ?> meta = (Map<?, ?>) cluster.jsz(leader).get("meta_cluster");
            assertEquals(2L, meta.get("cluster_size"), "A and B formed the group: " + meta);

            cluster.start("C");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                leader = cluster.awaitMetaLeader(WAIT);
                meta = (Map<?, ?>) cluster.jsz(leader).get("meta_cluster");
                if (Long.valueOf(3).equals(meta.get("cluster_size"))) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(3L, meta.get("cluster_size"), "C was added: " + meta);

            try (Connection nc = cluster.connect("C")) {
                StreamInfo info = nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("LATE")
                        .subjects("late").replicas(3).storageType(StorageType.Memory).build());
                assertEquals(3, info.getConfiguration().getReplicas(), "R3 placed on all three");
                assertNotNull(info.getClusterInfo().getLeader(), "a stream leader");
                assertEquals(1, nc.jetStream().publish("late", "x".getBytes(StandardCharsets.UTF_8)).getSeqno(),
                        "the R3 stream takes messages");
            }
        }
    }
}
