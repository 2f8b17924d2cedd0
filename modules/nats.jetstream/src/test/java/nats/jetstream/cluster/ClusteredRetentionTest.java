package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work-queue and interest retention on R3 streams: acknowledged messages are removed on every replica at the same
 * sequences. Each replica is made leader in turn (preferred step-down) and must hold exactly the messages not yet
 * acknowledged, at their sequences, and none of the removed ones.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusteredRetentionTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void acknowledgedMessagesLeaveEveryReplica() throws Exception {
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader(WAIT);
            Set<Long> wqKept = new TreeSet<>();
            Set<Long> intKept = new TreeSet<>();
            try (Connection nc = cluster.connect("A")) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                JetStream js = nc.jetStream();

                // Work queue: 30 messages, the consumer acknowledges all but those divisible by 3 (kept).
                jsm.addStream(StreamConfiguration.builder().name("WQ").subjects("wq.>").replicas(3)
                        .retentionPolicy(RetentionPolicy.WorkQueue).storageType(StorageType.File).build());
                for (int i = 1; i <= 30; i++) {
                    js.publish("wq.job", ("w" + i).getBytes(StandardCharsets.UTF_8));
                }
                jsm.addOrUpdateConsumer("WQ", ConsumerConfiguration.builder().durable("w")
                        .ackPolicy(AckPolicy.Explicit).build());
                for (Message m : fetch(js, "WQ", "w", 30)) {
                    long seq = m.metaData().streamSequence();
                    if (seq % 3 == 0) {
                        wqKept.add(seq);
                    } else {
                        m.ackSync(Duration.ofSeconds(5));
                    }
                }

                // Interest: 5 messages without consumers are not kept; then "all" (every subject) and "a" (int.a).
                jsm.addStream(StreamConfiguration.builder().name("INT").subjects("int.>").replicas(3)
                        .retentionPolicy(RetentionPolicy.Interest).storageType(StorageType.File).build());
                for (int i = 1; i <= 5; i++) {
                    js.publish("int.a", ("early" + i).getBytes(StandardCharsets.UTF_8));
                }
                jsm.addOrUpdateConsumer("INT", ConsumerConfiguration.builder().durable("all")
                        .ackPolicy(AckPolicy.Explicit).build());
                jsm.addOrUpdateConsumer("INT", ConsumerConfiguration.builder().durable("a").filterSubject("int.a")
                        .ackPolicy(AckPolicy.Explicit).build());
                List<Long> aSeqs = new ArrayList<>();
                for (int i = 1; i <= 20; i++) {
                    String subject = i % 2 == 0 ? "int.a" : "int.b";
                    long seq = js.publish(subject, ("i" + i).getBytes(StandardCharsets.UTF_8)).getSeqno();
                    if (subject.equals("int.a")) {
                        aSeqs.add(seq);
                    }
                }
                assertEquals(25, aSeqs.get(aSeqs.size() - 1), "the early messages took sequences 1-5");
                for (Message m : fetch(js, "INT", "all", 20)) {
                    m.ackSync(Duration.ofSeconds(5));
                }
                // "a" acknowledges its first five; the other five int.a messages stay (still needed by "a").
                List<Message> forA = fetch(js, "INT", "a", 10);
                for (int i = 0; i < forA.size(); i++) {
                    if (i < 5) {
                        forA.get(i).ackSync(Duration.ofSeconds(5));
                    } else {
                        intKept.add(forA.get(i).metaData().streamSequence());
                    }
                }
            }
            assertEquals(10, wqKept.size(), "ten work-queue messages left unacknowledged");
            assertEquals(5, intKept.size(), "five interest messages still needed");

            for (String replica : JsCluster3.NAMES) {
                try (Connection nc = cluster.connect(replica)) {
                    JetStreamManagement jsm = nc.jetStreamManagement();
                    makeLeader(nc, "WQ", replica);
                    assertHolds(jsm, "WQ", replica, wqKept, 30);
                    makeLeader(nc, "INT", replica);
                    assertHolds(jsm, "INT", replica, intKept, 25);
                }
            }
        }
    }

    /**
     * Removals are decided by the stream leader from the committed consumer states: on an interest stream, ack
     * policy all (one ack releases everything below it), ack policy none (a delivery counts as acknowledged) and
     * explicit acks together, then deletions (what only the deleted consumer still needed goes); a work-queue
     * consumer's deletion leaves its messages for the next consumer (as Go's).
     */
    @Test
    void ackPoliciesAllAndNoneAndDeletionsDecidedFromCommittedStates() throws Exception {
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader(WAIT);
            Set<Long> wqKept = new TreeSet<>();
            try (Connection nc = cluster.connect("B")) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                JetStream js = nc.jetStream();
                jsm.addStream(StreamConfiguration.builder().name("WQ2").subjects("wq2").replicas(3)
                        .retentionPolicy(RetentionPolicy.WorkQueue).storageType(StorageType.File).build());
                for (int i = 1; i <= 20; i++) {
                    js.publish("wq2", ("w" + i).getBytes(StandardCharsets.UTF_8));
                }
                jsm.addOrUpdateConsumer("WQ2", ConsumerConfiguration.builder().durable("w")
                        .ackPolicy(AckPolicy.Explicit).build());
                for (Message m : fetch(js, "WQ2", "w", 20)) {
                    if (m.metaData().streamSequence() <= 12) {
                        m.ackSync(Duration.ofSeconds(5));
                    } else {
                        wqKept.add(m.metaData().streamSequence());
                    }
                }

                jsm.addStream(StreamConfiguration.builder().name("INT2").subjects("int2").replicas(3)
                        .retentionPolicy(RetentionPolicy.Interest).storageType(StorageType.File).build());
                for (String durable : List.of("none", "upto", "explicit")) {
                    jsm.addOrUpdateConsumer("INT2", ConsumerConfiguration.builder().durable(durable)
                            .ackPolicy(durable.equals("none") ? AckPolicy.None
                                    : durable.equals("upto") ? AckPolicy.All : AckPolicy.Explicit).build());
                }
                for (int i = 1; i <= 10; i++) {
                    js.publish("int2", ("i" + i).getBytes(StandardCharsets.UTF_8));
                }
                fetch(js, "INT2", "none", 10);
                for (Message m : fetch(js, "INT2", "explicit", 10)) {
                    if (m.metaData().streamSequence() <= 8) {
                        m.ackSync(Duration.ofSeconds(5));
                    }
                }
                for (Message m : fetch(js, "INT2", "upto", 10)) {
                    if (m.metaData().streamSequence() == 6) {
                        m.ackSync(Duration.ofSeconds(5)); // 1..6 go: the others acknowledged them already
                    }
                }
            }
            for (String replica : JsCluster3.NAMES) {
                try (Connection nc = cluster.connect(replica)) {
                    JetStreamManagement jsm = nc.jetStreamManagement();
                    makeLeader(nc, "WQ2", replica);
                    awaitCount(jsm, "WQ2", wqKept.size());
                    assertHolds(jsm, "WQ2", replica, wqKept, 20);
                    makeLeader(nc, "INT2", replica);
                    awaitCount(jsm, "INT2", 4);
                    assertHolds(jsm, "INT2", replica, new TreeSet<>(List.of(7L, 8L, 9L, 10L)), 10);
                }
            }
            try (Connection nc = cluster.connect("C")) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                assertTrue(jsm.deleteConsumer("INT2", "upto"), "upto deleted");
                awaitCount(jsm, "INT2", 2); // 7 and 8 were needed by "upto" alone
                assertHolds(jsm, "INT2", jsm.getStreamInfo("INT2").getClusterInfo().getLeader(),
                        new TreeSet<>(List.of(9L, 10L)), 10);
                assertTrue(jsm.deleteConsumer("INT2", "explicit"), "explicit deleted");
                assertTrue(jsm.deleteConsumer("WQ2", "w"), "w deleted");
                awaitCount(jsm, "INT2", 0); // "none" took everything
            }
            for (String replica : JsCluster3.NAMES) {
                try (Connection nc = cluster.connect(replica)) {
                    JetStreamManagement jsm = nc.jetStreamManagement();
                    makeLeader(nc, "INT2", replica);
                    awaitCount(jsm, "INT2", 0);
                    assertEquals(10, jsm.getStreamInfo("INT2").getStreamState().getLastSequence(),
                            "INT2 last sequence on " + replica);
                    makeLeader(nc, "WQ2", replica);
                    assertHolds(jsm, "WQ2", replica, wqKept, 20);
                }
            }
        }
    }

    /** Waits (up to 10 s) until the stream's leader counts {@code count} messages: removals follow the acks' commit. */
    private static void awaitCount(JetStreamManagement jsm, String stream, long count) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long seen = -1;
        while (System.nanoTime() < deadline) {
            seen = jsm.getStreamInfo(stream).getStreamState().getMsgCount();
            if (seen == count) {
                return;
            }
            Thread.sleep(100);
        }
        assertEquals(count, seen, stream + " messages");
    }

    private static List<Message> fetch(JetStream js, String stream, String durable, int count) throws Exception {
        JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind(stream, durable));
        List<Message> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (out.size() < count && System.nanoTime() < deadline) {
            out.addAll(sub.fetch(count - out.size(), Duration.ofSeconds(1)));
        }
        assertEquals(count, out.size(), "fetched from " + stream + " > " + durable);
        return out;
    }

    /** Hands the stream's leadership to {@code replica} (Go 2.11's preferred step-down) and waits for it. */
    private static void makeLeader(Connection nc, String stream, String replica) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String leader = "";
            try {
                leader = nc.jetStreamManagement().getStreamInfo(stream).getClusterInfo().getLeader();
            } catch (Exception e) {
                // No leader answering for a moment.
            }
            if (replica.equals(leader)) {
                return;
            }
            if (!leader.isEmpty()) {
                try {
                    nc.request("$JS.API.STREAM.LEADER.STEPDOWN." + stream, ("{\"placement\":{\"preferred\":\""
                            + replica + "\"}}").getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
                } catch (Exception e) {
                    // Retried.
                }
            }
            Thread.sleep(200);
        }
        fail(replica + " never led " + stream);
    }

    /** The replica leading {@code stream} holds exactly {@code kept} (of sequences 1..last), each at its sequence. */
    private static void assertHolds(JetStreamManagement jsm, String stream, String replica, Set<Long> kept, long last)
            throws Exception {
        StreamInfo info = jsm.getStreamInfo(stream);
        assertEquals(replica, info.getClusterInfo().getLeader(), "reading " + stream + " from " + replica);
        assertEquals(kept.size(), info.getStreamState().getMsgCount(), stream + " messages on " + replica);
        assertEquals((long) kept.iterator().next(), info.getStreamState().getFirstSequence(),
                stream + " first sequence on " + replica);
        assertEquals(last, info.getStreamState().getLastSequence(), stream + " last sequence on " + replica);
        for (long seq = 1; seq <= last; seq++) {
            if (kept.contains(seq)) {
                assertEquals(seq, jsm.getMessage(stream, seq).getSeq(), stream + " message " + seq + " on " + replica);
            } else {
                try {
                    jsm.getMessage(stream, seq);
                    fail(stream + " message " + seq + " was acknowledged (or had no interest) and is still on "
                            + replica);
                } catch (JetStreamApiException e) {
                    assertEquals(10037, e.getApiErrorCode(), stream + " message " + seq + " on " + replica);
                }
            }
        }
    }
}
