package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick, in-process form of {@link ClusterFaultMatrixTest}'s damaged block (default run): a follower's message
 * block has bytes flipped while it is stopped, below its group's last snapshot. Restarted, its store reports the
 * damaged messages lost; the replica must fetch them again from the others rather than take them for removed.
 * Made leader, it serves every acknowledged message at its sequence. Before the fix it answered "no message found"
 * for them while reported current (what Go 2.9.10 did in the run).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplicaDamageTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PROPERTY = "nats.jetstream.cluster.stream_snapshot_entries";

    @TempDir
    Path dir;

    @BeforeEach
    void snapshotOften() {
        System.setProperty(PROPERTY, "50");
    }

    @AfterEach
    void snapshotDefault() {
        System.clearProperty(PROPERTY);
    }

    @Test
    void aDamagedFollowerRefetchesWhatItLost() throws Exception {
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader(WAIT);
            Map<Long, String> acked = new TreeMap<>();
            String follower;
            try (Connection nc = cluster.connect("A")) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name("D").subjects("d").replicas(3)
                        .storageType(StorageType.File).build());
                JetStream js = nc.jetStream();
                for (int i = 0; i < 220; i++) {
                    String body = "d-" + i;
                    acked.put(js.publish("d", body.getBytes(StandardCharsets.UTF_8)).getSeqno(), body);
                }
                ReplicaContents.awaitCurrent(jsm, "D", WAIT);
                String leader = StreamLeaders.await(jsm, "D", WAIT);
                follower = JsCluster3.NAMES.stream().filter(n -> !n.equals(leader) && !n.equals("A")).findFirst()
                        .orElseThrow();
            }
            cluster.stop(follower);
            List<String> flipped = ClusterFaultMatrixTest.flipBlockBytes(dir.resolve(follower));
            assertFalse(flipped.isEmpty(), "bytes flipped");
            cluster.start(follower);
            cluster.awaitMetaLeader(WAIT);
            try (Connection nc = cluster.connect(follower)) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                ReplicaContents.awaitCurrent(jsm, "D", WAIT);
                Map<Long, String> served = ReplicaContents.read(nc, jsm, "D", follower, acked, WAIT);
                assertEquals(acked.size(), served.size(), follower + " (damaged at " + flipped
                        + ") serves every acknowledged message");
            }
        }
    }
}
