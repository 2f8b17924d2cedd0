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
 * {@code Campaign}), so an R3 create is answered within a fraction of the election timeout; before, the first
 * leader came after 4 to 9 s and the create answer with it (jnats' default request timeout is 5 s).
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
                    assertTrue(ms < 2_500, "expected stream NEW" + i + " created within 2.5 s (elections after 4 s),"
                            + " took " + ms + " ms");
                }
            }
        }
    }
}
