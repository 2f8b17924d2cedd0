package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumers of an R3 stream across the loss of the stream's leader: a consumer create is answered once its
 * definition is committed (the leader is stopped right after the answer and the consumer is still there), an ack
 * answered to {@code ackSync} is never redelivered after the leader is stopped straight after it, and every message
 * not acknowledged is delivered; {@code CONSUMER.LEADER.STEPDOWN} moves the consumer (with its stream) as Go answers.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusteredConsumerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void ackSyncAndCreateSurviveLossOfTheLeader() throws Exception {
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader(WAIT);
            Set<Long> acked = new TreeSet<>();
            Set<Long> unacked = new TreeSet<>();
            String leader;
            try (Connection nc = cluster.connect("A")) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name("JOBS").subjects("jobs.>").replicas(3)
                        .storageType(StorageType.File).build());
                JetStream js = nc.jetStream();
                for (int i = 1; i <= 100; i++) {
                    assertEquals(i, js.publish("jobs.x", ("j" + i).getBytes(StandardCharsets.UTF_8)).getSeqno(),
                            "sequence of job " + i);
                }
                leader = jsm.getStreamInfo("JOBS").getClusterInfo().getLeader();
                // The create is answered after its commit: the leader is stopped at once, the consumer survives.
                jsm.addOrUpdateConsumer("JOBS", ConsumerConfiguration.builder().durable("early")
                        .ackPolicy(AckPolicy.Explicit).build());
                var created = jsm.addOrUpdateConsumer("JOBS", ConsumerConfiguration.builder().durable("worker")
                        .ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofSeconds(2)).build());
                assertEquals(leader, created.getClusterInfo().getLeader(), "the create answer's cluster block");
                JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("JOBS", "worker"));
                // 30 double-acked (in a scattered pattern), 10 delivered and left unacknowledged.
                while (acked.size() + unacked.size() < 40) {
                    for (Message m : sub.fetch(40 - acked.size() - unacked.size(), Duration.ofSeconds(2))) {
                        long seq = m.metaData().streamSequence();
                        if (unacked.contains(seq)) {
                            // Redelivered after its ack wait on a slow machine: still left unacknowledged.
                            continue;
                        }
                        if (seq % 4 == 3 && unacked.size() < 10) {
                            unacked.add(seq);
                        } else {
                            m.ackSync(Duration.ofSeconds(5));
                            acked.add(seq);
                        }
                    }
                }
            }
            // No pause: whatever was answered must already be committed.
            cluster.stop(leader);
            String survivor = cluster.running().get(0);
            try (Connection nc = cluster.connect(survivor)) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                String newLeader = awaitConsumer(jsm, "JOBS", "early");
                assertNotEquals(leader, newLeader, "a new leader");
                var listed = jsm.getConsumers("JOBS");
                assertEquals(2, listed.size(), "both consumers listed");
                for (var ci : listed) {
                    assertEquals(newLeader, ci.getClusterInfo().getLeader(), "cluster block of " + ci.getName());
                }
                JetStreamSubscription sub = nc.jetStream().subscribe(null, PullSubscribeOptions.bind("JOBS", "worker"));
                Set<Long> delivered = new TreeSet<>();
                long deadline = System.nanoTime() + WAIT.toNanos();
                // 60 never delivered plus the 10 unacknowledged (redelivered after their 2 s ack wait).
                while (delivered.size() < 70 && System.nanoTime() < deadline) {
                    for (Message m : sub.fetch(20, Duration.ofSeconds(1))) {
                        long seq = m.metaData().streamSequence();
                        assertFalse(acked.contains(seq), "message " + seq + " was acked with ackSync before the "
                                + "leader was stopped, and is delivered again");
                        delivered.add(seq);
                        m.ackSync(Duration.ofSeconds(5));
                    }
                }
                for (long seq = 1; seq <= 100; seq++) {
                    assertTrue(acked.contains(seq) || delivered.contains(seq),
                            "message " + seq + " not acknowledged before the failover is delivered after it");
                }
                assertTrue(delivered.containsAll(unacked), "the unacknowledged ones are redelivered: " + unacked);
                // Nothing more: every message acknowledged exactly once over the two leaders.
                List<Message> more = sub.fetch(5, Duration.ofMillis(500));
                assertTrue(more.isEmpty(), "nothing left to deliver: " + more.size());

                // Go's answers to CONSUMER.LEADER.STEPDOWN: the leadership moves (with the stream's), unknown
                // consumers get 10014.
                assertEquals("{\"type\":\"io.nats.jetstream.api.v1.consumer_leader_stepdown_response\","
                        + "\"success\":true}", text(nc, "$JS.API.CONSUMER.LEADER.STEPDOWN.JOBS.worker"),
                        "step-down answered as Go");
                String moved = awaitLeaderOtherThan(jsm, newLeader);
                assertNotEquals(newLeader, moved, "the consumer's leader moved");
                // Go 2.9.10's answers (three Go servers, same requests, 2026-12-07).
                assertEquals("{\"type\":\"io.nats.jetstream.api.v1.consumer_leader_stepdown_response\",\"error\":"
                        + "{\"code\":404,\"err_code\":10014,\"description\":\"consumer not found\"}}",
                        text(nc, "$JS.API.CONSUMER.LEADER.STEPDOWN.JOBS.nobody"), "unknown consumer");
                assertEquals("{\"type\":\"io.nats.jetstream.api.v1.consumer_leader_stepdown_response\",\"error\":"
                        + "{\"code\":404,\"err_code\":10059,\"description\":\"stream not found\"}}",
                        text(nc, "$JS.API.CONSUMER.LEADER.STEPDOWN.NOSTREAM.worker"), "unknown stream");
                var sub3 = nc.subscribe(nc.createInbox());
                nc.publish("$JS.API.CONSUMER.LEADER.STEPDOWN.JOBS", sub3.getSubject(), new byte[0]);
                // Go subscribes to CONSUMER.LEADER.STEPDOWN.*.* only: no API answer (a client with headers may hear
                // "no responders").
                Message none = sub3.nextMessage(Duration.ofMillis(1500));
                assertTrue(none == null || (none.isStatusMessage() && none.getStatus().getCode() == 503),
                        "no API answer without a consumer name, as Go: " + none);
                assertEquals(0L, jsm.getConsumerInfo("JOBS", "worker").getNumAckPending(),
                        "nothing pending on the consumer's next leader");

                // A delete is answered once committed: the next leader does not know the consumer.
                assertTrue(jsm.deleteConsumer("JOBS", "early"), "consumer deleted");
                String before = awaitLeaderOtherThan(jsm, "");
                text(nc, "$JS.API.STREAM.LEADER.STEPDOWN.JOBS");
                awaitLeaderOtherThan(jsm, before);
                assertEquals(List.of("worker"), jsm.getConsumerNames("JOBS"), "the deleted consumer stays deleted");
            }
        }
    }

    private static String text(Connection nc, String subject) throws Exception {
        Message r = nc.request(subject, new byte[0], WAIT);
        assertNotNull(r, "an answer on " + subject);
        return new String(r.getData(), StandardCharsets.UTF_8);
    }

    /** Waits until the consumer's info is answered (by the stream's new leader); returns that leader. */
    private static String awaitConsumer(JetStreamManagement jsm, String stream, String consumer) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                var info = jsm.getConsumerInfo(stream, consumer);
                if (info.getClusterInfo() != null && info.getClusterInfo().getLeader() != null) {
                    return info.getClusterInfo().getLeader();
                }
            } catch (io.nats.client.JetStreamApiException e) {
                throw new AssertionError("consumer " + consumer + " lost with the leader", e);
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("consumer " + consumer + " not answered after the failover", last);
    }

    private static String awaitLeaderOtherThan(JetStreamManagement jsm, String old) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String l = jsm.getConsumerInfo("JOBS", "worker").getClusterInfo().getLeader();
                if (l != null && !l.equals(old)) {
                    return l;
                }
            } catch (Exception e) {
                // No leader answering for a moment.
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no new consumer leader after " + old);
    }
}
