package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable push consumer of an R3 stream with 1,000 messages pending: acknowledging 300 of them one by one adds
 * entries of the size of one ack to the stream group's log, not of the pending list (the leader proposes the change
 * since its last proposal); the consumer's state survives a {@code CONSUMER.LEADER.STEPDOWN} and the stop of the
 * next leader: 700 pending on each new leader, the 300 acknowledged never delivered again, the 700 delivered again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusteredConsumerDeltaTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MESSAGES = 1_000;
    private static final int ACKED = 300;

    @TempDir
    Path dir;

    @Test
    void acksAreSmallEntriesAndSurviveLeaderChanges() throws Exception {
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader(WAIT);
            Set<Long> acked = new TreeSet<>();
            String leader;
            try (Connection nc = cluster.connect("A")) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name("LOG").subjects("log.>").replicas(3)
                        .storageType(StorageType.File).build());
                JetStream js = nc.jetStream();
                List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
                for (int i = 1; i <= MESSAGES; i++) {
                    acks.add(js.publishAsync("log.x", ("m" + i).getBytes(StandardCharsets.UTF_8)));
                }
                for (var a : acks) {
                    a.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
                leader = jsm.getStreamInfo("LOG").getClusterInfo().getLeader();
                ConsumerConfiguration cc = ConsumerConfiguration.builder().durable("push")
                        .ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofSeconds(4)).maxAckPending(5_000).build();
                JetStreamSubscription sub = js.subscribe("log.>",
                        PushSubscribeOptions.builder().stream("LOG").configuration(cc).build());
                List<Message> received = new ArrayList<>();
                Set<Long> seen = new TreeSet<>();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (seen.size() < MESSAGES && System.nanoTime() < deadline) {
                    Message m = sub.nextMessage(Duration.ofSeconds(1));
                    if (m != null && seen.add(m.metaData().streamSequence())) {
                        received.add(m);
                    }
                }
                assertEquals(MESSAGES, seen.size(), "every message delivered");
                Thread.sleep(500); // the deliveries are proposed within 200 ms
                long before = groupLogBytes(leader);
                // Scattered: every third message among the first 900 (the ack floor stays low).
                for (Message m : received) {
                    long seq = m.metaData().streamSequence();
                    if (seq % 3 == 1 && acked.size() < ACKED) {
                        m.ackSync(Duration.ofSeconds(5));
                        acked.add(seq);
                    }
                }
                long grown = groupLogBytes(leader) - before;
                // The whole state is 24 bytes per pending delivery (~17-24 KB here) in every entry: 300 acks
                // would add 5 MB or more; a change is ~100 bytes with its entry's framing.
                assertTrue(grown < 300_000, "the stream group's log grew by " + grown + " bytes for " + ACKED
                        + " acks");
                sub.unsubscribe();

                // The consumer's leadership moves (with its stream's, ours have no group of their own).
                String stepDown = text(nc, "$JS.API.CONSUMER.LEADER.STEPDOWN.LOG.push");
                assertEquals("{\"type\":\"io.nats.jetstream.api.v1.consumer_leader_stepdown_response\","
                        + "\"success\":true}", stepDown, "step-down answered as Go");
                String next = awaitInfo(jsm, leader).getClusterInfo().getLeader();
                assertPendingAfterAcks(jsm.getConsumerInfo("LOG", "push"), "after the step-down");
                leader = next;
            }
            cluster.stop(leader);
            String survivor = cluster.running().get(0);
            try (Connection nc = cluster.connect(survivor)) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                ConsumerInfo info = awaitInfo(jsm, leader);
                assertNotEquals(leader, info.getClusterInfo().getLeader(), "a new leader");
                assertPendingAfterAcks(info, "after the leader was stopped");
                JetStreamSubscription sub = nc.jetStream().subscribe("log.>", PushSubscribeOptions.bind("LOG", "push"));
                Set<Long> redelivered = new TreeSet<>();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (redelivered.size() < MESSAGES - ACKED && System.nanoTime() < deadline) {
                    Message m = sub.nextMessage(Duration.ofSeconds(1));
                    if (m != null) {
                        long seq = m.metaData().streamSequence();
                        assertFalse(acked.contains(seq), "message " + seq + " acknowledged before, delivered again");
                        redelivered.add(seq);
                        m.ack();
                    }
                }
                assertEquals(MESSAGES - ACKED, redelivered.size(), "every unacknowledged message delivered again");
            }
        }
    }

    private static void assertPendingAfterAcks(ConsumerInfo info, String when) {
        assertEquals(MESSAGES - ACKED, info.getNumAckPending(), "pending " + when);
        assertEquals(MESSAGES, info.getDelivered().getStreamSequence(), "delivered " + when);
        assertEquals(1, info.getAckFloor().getStreamSequence(), "ack floor " + when);
    }

    /** The consumer's info once a leader other than {@code old} answers it. */
    private static ConsumerInfo awaitInfo(JetStreamManagement jsm, String old) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                ConsumerInfo info = jsm.getConsumerInfo("LOG", "push");
                String l = info.getClusterInfo().getLeader();
                if (l != null && !l.equals(old)) {
                    return info;
                }
            } catch (io.nats.client.JetStreamApiException e) {
                throw new AssertionError("consumer lost with the leader", e);
            } catch (Exception e) {
                // No leader answering for a moment.
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no consumer leader other than " + old);
    }

    /** The bytes of the stream group's files (log, state) on server {@code name}. */
    private long groupLogBytes(String name) throws IOException {
        try (Stream<Path> dirs = Files.walk(dir.resolve(name))) {
            Path group = dirs.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("S-R3F-"))
                    .findFirst().orElseThrow();
            try (Stream<Path> files = Files.walk(group)) {
                return files.filter(Files::isRegularFile).mapToLong(p -> {
                    try {
                        return Files.size(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).sum();
            }
        }
    }

    private static String text(Connection nc, String subject) throws Exception {
        Message r = nc.request(subject, new byte[0], WAIT);
        assertNotNull(r, "an answer on " + subject);
        return new String(r.getData(), StandardCharsets.UTF_8);
    }
}
