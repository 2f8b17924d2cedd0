package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import nats.transport.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clustered JetStream end to end with jnats: three servers form the meta group, an R3 stream is created once
 * (one answer), messages are acknowledged after commit, the stream leader's server is stopped, publishing goes on
 * with a new leader, and every acknowledged message is read back exactly once at its acknowledged sequence from
 * both remaining replicas (each in turn made leader); a durable pull consumer goes on from its acknowledged position
 * on the new leader.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusteredStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void r3StreamSurvivesLossOfItsLeader() throws Exception {
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            cluster.startAll();
            String metaLeader = cluster.awaitMetaLeader(WAIT);
            assertTrue(JsCluster3.NAMES.contains(metaLeader), "a meta leader among A, B, C: " + metaLeader);

            Map<Long, String> acked = new TreeMap<>();
            List<Long> consumed = new ArrayList<>();
            String streamLeader;
            try (Connection nc = cluster.connect("A")) {
                // Exactly one answer to the create request (a second would be a second server answering).
                byte[] create = ("{\"name\":\"ORDERS\",\"subjects\":[\"orders.>\"],\"storage\":\"file\","
                        + "\"num_replicas\":3}").getBytes(StandardCharsets.UTF_8);
                String inbox = nc.createInbox();
                var sub = nc.subscribe(inbox);
                nc.publish("$JS.API.STREAM.CREATE.ORDERS", inbox, create);
                Message first = sub.nextMessage(WAIT);
                assertNotNull(first, "an answer to STREAM.CREATE");
                Map<String, Object> created = Json.parseObject(new String(first.getData(), StandardCharsets.UTF_8));
                assertEquals(null, created.get("error"), "create succeeded: " + created);
                assertNotNull(created.get("cluster"), "the create answer carries the cluster block: " + created);
                Message second = sub.nextMessage(Duration.ofMillis(700));
                assertEquals(null, second, "a single answer to STREAM.CREATE");

                JetStreamManagement jsm = nc.jetStreamManagement();
                StreamInfo info = jsm.getStreamInfo("ORDERS");
                assertEquals(3, info.getConfiguration().getReplicas(), "R3 in the config");
                streamLeader = info.getClusterInfo().getLeader();
                assertNotNull(streamLeader, "a stream leader");
                assertEquals(2, info.getClusterInfo().getReplicas().size(), "two other replicas: " + info);
                publish(nc.jetStream(), acked, 0, 100);

                // A durable pull consumer takes the first 60, acknowledged one by one.
                jsm.addOrUpdateConsumer("ORDERS", ConsumerConfiguration.builder().durable("worker")
                        .ackPolicy(AckPolicy.Explicit).build());
                assertEquals(streamLeader, jsm.getConsumerInfo("ORDERS", "worker").getClusterInfo().getLeader(),
                        "the consumer is led by the stream leader");
                JetStreamSubscription sub1 = nc.jetStream().subscribe(null, PullSubscribeOptions.bind("ORDERS", "worker"));
                consumed.addAll(fetchAndAck(sub1, 60));
                // The consumer's state reaches the group within 200 ms.
                Thread.sleep(1000);
            }

            cluster.stop(streamLeader);
            String survivor = cluster.running().get(0);
            try (Connection nc = cluster.connect(survivor)) {
                publish(nc.jetStream(), acked, 100, 200);
                JetStreamManagement jsm = nc.jetStreamManagement();
                String newLeader = jsm.getStreamInfo("ORDERS").getClusterInfo().getLeader();
                assertNotEquals(streamLeader, newLeader, "a new stream leader");
                assertReadBack(jsm, acked, newLeader);

                // The durable consumer goes on where it was on the new leader: every other message, once.
                JetStreamSubscription sub2 = nc.jetStream().subscribe(null, PullSubscribeOptions.bind("ORDERS", "worker"));
                consumed.addAll(fetchAndAck(sub2, acked.size() - 60));
                assertEquals(new ArrayList<>(acked.keySet()), consumed,
                        "the durable consumer delivered each acknowledged message once, in order, across the failover");

                // The other remaining replica leads next, and holds the same messages at the same sequences.
                Message r = nc.request("$JS.API.STREAM.LEADER.STEPDOWN.ORDERS", new byte[0], WAIT);
                assertTrue(new String(r.getData(), StandardCharsets.UTF_8).contains("\"success\":true"),
                        "step-down answered: " + new String(r.getData(), StandardCharsets.UTF_8));
                String third = awaitStreamLeaderOtherThan(jsm, newLeader);
                assertReadBack(jsm, acked, third);
            }
        }
    }

    /** Publishes messages {@code from..to} with ids; a publish that fails (no leader yet) is retried. */
    private static void publish(JetStream js, Map<Long, String> acked, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            String body = "order-" + i;
            PublishAck ack = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (ack == null) {
                try {
                    ack = js.publish("orders.new", body.getBytes(StandardCharsets.UTF_8),
                            PublishOptions.builder().messageId(body).streamTimeout(Duration.ofSeconds(2)).build());
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("publish of " + body + " never acknowledged", e);
                    }
                    Thread.sleep(100);
                }
            }
            String previous = acked.get(ack.getSeqno());
            assertTrue(previous == null || previous.equals(body),
                    "sequence " + ack.getSeqno() + " acknowledged for " + previous + " and " + body);
            acked.put(ack.getSeqno(), body);
        }
    }

    /** Fetches and acknowledges {@code count} messages; returns their stream sequences in delivery order. */
    private static List<Long> fetchAndAck(JetStreamSubscription sub, int count) throws Exception {
        List<Long> seqs = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (seqs.size() < count && System.nanoTime() < deadline) {
            for (Message m : sub.fetch(Math.min(20, count - seqs.size()), Duration.ofSeconds(1))) {
                seqs.add(m.metaData().streamSequence());
                m.ackSync(Duration.ofSeconds(2));
            }
        }
        assertEquals(count, seqs.size(), "fetched " + count + " messages: " + seqs);
        return seqs;
    }

    private static void assertReadBack(JetStreamManagement jsm, Map<Long, String> acked, String leader)
            throws Exception {
        StreamInfo info = jsm.getStreamInfo("ORDERS");
        assertEquals(leader, info.getClusterInfo().getLeader(), "still the same leader while reading");
        assertEquals(acked.size(), info.getStreamState().getMsgCount(),
                "exactly the acknowledged messages on " + leader);
        for (Map.Entry<Long, String> e : acked.entrySet()) {
            MessageInfo m = jsm.getMessage("ORDERS", e.getKey());
            assertEquals(e.getValue(), new String(m.getData(), StandardCharsets.UTF_8),
                    "message at sequence " + e.getKey() + " on " + leader);
        }
    }

    private static String awaitStreamLeaderOtherThan(JetStreamManagement jsm, String old) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String l = jsm.getStreamInfo("ORDERS").getClusterInfo().getLeader();
                if (l != null && !l.equals(old)) {
                    return l;
                }
            } catch (Exception e) {
                // No leader answering for a moment.
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no new stream leader after " + old);
    }
}
