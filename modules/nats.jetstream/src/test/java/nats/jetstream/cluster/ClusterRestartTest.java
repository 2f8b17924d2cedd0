package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica that was down while messages were acknowledged comes back: its server rejoins the meta group from its
 * files, rebuilds the stream from the group's log and catches up on what it missed; made leader, it serves every
 * message at its sequence.
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
                // Hand the leadership round until the restarted replica has it.
                long deadline = System.nanoTime() + WAIT.toNanos();
                String now = leader;
                while (!follower.equals(now) && System.nanoTime() < deadline) {
                    try {
                        nc.request("$JS.API.STREAM.LEADER.STEPDOWN.LOG", new byte[0], Duration.ofSeconds(5));
                    } catch (Exception e) {
                        // No leader to answer for a moment.
                    }
                    Thread.sleep(300);
                    now = currentLeader(jsm);
                }
                assertEquals(follower, now, "the restarted replica leads");
                StreamInfo info = jsm.getStreamInfo("LOG");
                assertEquals(100, info.getStreamState().getMsgCount(), "every message on the restarted replica");
                for (long seq = 1; seq <= 100; seq++) {
                    MessageInfo m = jsm.getMessage("LOG", seq);
                    assertEquals("m" + seq, new String(m.getData(), StandardCharsets.UTF_8), "message " + seq);
                }
                assertEquals(101, js.publish("log.c", "m101".getBytes(StandardCharsets.UTF_8)).getSeqno(),
                        "publishing goes on under the restarted replica's leadership");
                assertNotEquals(leader, follower, "a follower was restarted");
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
