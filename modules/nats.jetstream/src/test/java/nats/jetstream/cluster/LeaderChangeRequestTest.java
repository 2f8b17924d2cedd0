package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer create sent right after the stream's leader stepped down, while the new leader is still applying what
 * its predecessor committed (or the election is under way), is answered: the replicas hold it until a leader serves
 * (before, every server dropped it and the client waited 5 s for nothing: the {@code ClusteredRetentionTest} flake
 * under load). Each create is answered once and the consumer exists on the leader afterwards.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeaderChangeRequestTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void consumerCreateDuringLeaderChangeIsAnswered() throws Exception {
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader(WAIT);
            try (Connection nc = cluster.connect("A")) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name("LC").subjects("lc").replicas(3)
                        .storageType(StorageType.File).build());
                nc.jetStream().publish("lc", new byte[] {1});
                for (int round = 0; round < 4; round++) {
                    StreamLeaders.await(jsm, "LC", WAIT);
                    Message stepped = nc.request("$JS.API.STREAM.LEADER.STEPDOWN.LC", new byte[0], WAIT);
                    assertNotNull(stepped, "step-down answered");
                    String durable = "d" + round;
                    byte[] create = ("{\"stream_name\":\"LC\",\"config\":{\"durable_name\":\"" + durable
                            + "\",\"ack_policy\":\"explicit\"}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    // At once, no wait for the new leader: jnats' API timeout is 5 s by default.
                    Message answer = nc.request("$JS.API.CONSUMER.DURABLE.CREATE.LC." + durable, create,
                            Duration.ofSeconds(5));
                    assertNotNull(answer, "consumer create right after step-down " + round + " answered within 5 s");
                    String body = new String(answer.getData(), java.nio.charset.StandardCharsets.UTF_8);
                    assertEquals(-1, body.indexOf("\"error\""), "create " + durable + " succeeded: " + body);
                    assertEquals(AckPolicy.Explicit, jsm.getConsumerInfo("LC", durable).getConsumerConfiguration()
                            .getAckPolicy(), "consumer " + durable + " exists");
                }
                assertEquals(4, jsm.getConsumerNames("LC").size(), "every consumer created once");
            }
        }
    }
}
