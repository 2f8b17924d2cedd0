package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With Go's election timing (4 to 9 s), a new stream group's preferred member campaigns at once (Go's
 * {@code Campaign}), so an R3 create is answered before the shortest election timeout; before, the first leader
 * came after 4 to 9 s and the create answer with it (jnats' default request timeout is 5 s). Quiet machine: about
 * 1 s per create; 2.8 s once under the whole module's test load.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NewGroupElectionTest {

    @TempDir
    Path dir;

    @Test
    void aNewStreamGroupHasALeaderAtOnce() throws Exception {
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            System.setProperty("nats.jetstream.cluster.election_ms", "4000"); // read as each server starts
            try {
                cluster.start("A");
                cluster.start("B");
                cluster.start("C");
                cluster.awaitMetaLeader(Duration.ofSeconds(60));
            } finally {
                System.setProperty("nats.jetstream.cluster.election_ms", "1000");
            }
            try (Connection nc = cluster.connect("A")) {
                JetStreamManagement jsm = nc.jetStreamManagement(
                        JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(20)).build());
                for (int i = 0; i < 3; i++) {
                    long started = System.nanoTime();
                    StreamInfo info = jsm.addStream(StreamConfiguration.builder().name("NEW" + i).subjects("new" + i)
                            .replicas(3).storageType(StorageType.File).build());
                    long ms = (System.nanoTime() - started) / 1_000_000;
                    assertNotNull(info.getClusterInfo().getLeader(), "expected the create answered by a leader");
                    // Without the campaign no member stands before 4 s after it started; the others start about a
                    // meta heartbeat (1 s) after the meta leader's commit.
                    assertTrue(ms < 4_000, "expected stream NEW" + i + " created before the shortest election"
                            + " timeout (4 s), took " + ms + " ms");
                }
            }
        }
    }
}
