package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica that was down while messages were acknowledged comes back: its server rejoins the meta group from its
 * files, rebuilds the stream from the group's log and catches up on what it missed: its replica serves every message
 * at its sequence once it is made leader.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aRestartedReplicaCatchesUpAndCanLead() throws Exception {
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader(WAIT);
            String follower;
            try (Connection nc = cluster.connect("A")) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name("LOG").subjects("log.>").replicas(3)
                        .storageType(StorageType.File).build());
                JetStream js = nc.jetStream();
                for (int i = 1; i <= 50; i++) {
                    assertEquals(i, js.publish("log.a", ("m" + i).getBytes(StandardCharsets.UTF_8)).getSeqno(),
                            "sequence of message " + i);
                }
                String leader = jsm.getStreamInfo("LOG").getClusterInfo().getLeader();
                follower = JsCluster3.NAMES.stream().filter(n -> !n.equals(leader) && !n.equals("A")).findFirst()
                        .orElseThrow();
                cluster.stop(follower);
                for (int i = 51; i <= 100; i++) {
                    assertEquals(i, js.publish("log.b", ("m" + i).getBytes(StandardCharsets.UTF_8)).getSeqno(),
                            "sequence of message " + i + " with one replica down");
                }
                cluster.start(follower);
                cluster.awaitMetaLeader(WAIT);
            }
            try (Connection nc = cluster.connect(follower)) {
                // The restarted replica is handed the leadership (Go 2.11's preferred placement), so what is read
                // is its own copy.
                long deadline = System.nanoTime() + WAIT.toNanos();
                String leader = "";
                while (!follower.equals(leader) && System.nanoTime() < deadline) {
                    try {
                        nc.request("$JS.API.STREAM.LEADER.STEPDOWN.LOG", ("{\"placement\":{\"preferred\":\""
                                + follower + "\"}}").getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
                    } catch (Exception e) {
                        // No leader to answer for a moment.
                    }
                    Thread.sleep(200);
                    leader = currentLeader(nc.jetStreamManagement());
                }
                assertEquals(follower, leader, "the restarted replica leads");
                JetStreamManagement jsm = nc.jetStreamManagement();
                assertEquals(100, jsm.getStreamInfo("LOG").getStreamState().getMsgCount(),
                        "every message on the restarted replica");
                for (long seq = 1; seq <= 100; seq++) {
                    assertEquals("m" + seq, new String(jsm.getMessage("LOG", seq).getData(), StandardCharsets.UTF_8),
                            "message " + seq + " on the restarted replica " + follower);
                }
                assertEquals(101, nc.jetStream().publish("log.c", "m101".getBytes(StandardCharsets.UTF_8))
                        .getSeqno(), "publishing goes on under the restarted replica's leadership");
            }
        }
    }

    private static String currentLeader(JetStreamManagement jsm) {
        try {
            return jsm.getStreamInfo("LOG").getClusterInfo().getLeader();
        } catch (Exception e) {
            return "";
        }
    }

}
