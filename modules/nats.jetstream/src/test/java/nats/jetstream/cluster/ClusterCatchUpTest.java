package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream groups snapshot and compact their logs (every 25 entries here): a follower that was down while the
 * others compacted past its log gets the leader's snapshot, fetches the messages it lacks from another replica's
 * store, and, made leader, serves every message at its sequence with its original timestamp and headers, and not
 * the one deleted meanwhile. Restarted again, it starts from its own snapshot and store.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ClusterCatchUpTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PROPERTY = "nats.jetstream.cluster.stream_snapshot_entries";

    @TempDir
    Path dir;

    @BeforeEach
    void snapshotOften() {
        System.setProperty(PROPERTY, "25");
    }

    @AfterEach
    void snapshotDefault() {
        System.clearProperty(PROPERTY);
    }

    @Test
    void aFollowerBehindTheCompactedLogCatchesUpAndCanLead() throws Exception {
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader(WAIT);
            String follower;
            List<MessageInfo> expected = new ArrayList<>();
            try (Connection nc = cluster.connect("A")) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name("CU").subjects("cu.>").replicas(3)
                        .storageType(StorageType.File).build());
                JetStream js = nc.jetStream();
                publish(js, 1, 40);
                String leader = jsm.getStreamInfo("CU").getClusterInfo().getLeader();
                follower = JsCluster3.NAMES.stream().filter(n -> !n.equals(leader) && !n.equals("A")).findFirst()
                        .orElseThrow();
                cluster.stop(follower);
                publish(js, 41, 340);
                assertTrue(jsm.deleteMessage("CU", 100), "message 100 deleted");
                for (long seq = 1; seq <= 340; seq++) {
                    expected.add(seq == 100 ? null : jsm.getMessage("CU", seq));
                }
                assertTrue(groupLogs(cluster, leader).stream().noneMatch(f -> f.endsWith("seg-00000000000000000001.log")),
                        "the leader compacted the start of its log: " + groupLogs(cluster, leader));
                cluster.start(follower);
                cluster.awaitMetaLeader(WAIT);
            }
            try (Connection nc = cluster.connect(follower)) {
                leadOn(nc, follower);
                check(nc.jetStreamManagement(), expected, follower + " after catching up");
            }
            // Again, now from its own snapshot and store; 10 more messages meanwhile.
            cluster.stop(follower);
            String other = JsCluster3.NAMES.stream().filter(n -> !n.equals(follower)).findFirst().orElseThrow();
            try (Connection nc = cluster.connect(other)) {
                awaitLeader(nc);
                publish(nc.jetStream(), 341, 350);
                for (long seq = 341; seq <= 350; seq++) {
                    expected.add(nc.jetStreamManagement().getMessage("CU", seq));
                }
            }
            cluster.start(follower);
            cluster.awaitMetaLeader(WAIT);
            try (Connection nc = cluster.connect(follower)) {
                leadOn(nc, follower);
                check(nc.jetStreamManagement(), expected, follower + " after its second restart");
                assertEquals(351, nc.jetStream().publish("cu.z", "351".getBytes(StandardCharsets.UTF_8)).getSeqno(),
                        "publishing goes on");
            }
        }
    }

    /**
     * A memory replica restarted holds nothing: it restores its group's snapshot and fetches every message from
     * another replica, then, made leader, serves them all; a fetched message with a {@code Nats-TTL} expires on time.
     */
    private long ttlDeadline;

    @Test
    void aRestartedMemoryReplicaFetchesEverything() throws Exception {
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader(WAIT);
            String follower;
            List<MessageInfo> expected = new ArrayList<>();
            try (Connection nc = cluster.connect("A")) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                nc.request("$JS.API.STREAM.CREATE.CU", ("{\"name\":\"CU\",\"subjects\":[\"cu.>\"],\"num_replicas\":3,"
                        + "\"storage\":\"memory\",\"allow_msg_ttl\":true}").getBytes(StandardCharsets.UTF_8),
                        Duration.ofSeconds(10));
                // First a message with a TTL (so the snapshot covers it and the restarted replica fetches it): the
                // fetched copy must expire too, from its original time.
                NatsMessage ttl = NatsMessage.builder().subject("cu.ttl").headers(new Headers().add("Nats-TTL", "12s"))
                        .data("short".getBytes(StandardCharsets.UTF_8)).build();
                assertEquals(1, nc.jetStream().publish(ttl).getSeqno(), "the message with a TTL");
                ttlDeadline = System.nanoTime() + Duration.ofSeconds(12).toNanos();
                expected.add(null); // checked once expired
                publish(nc.jetStream(), 2, 121);
                for (long seq = 2; seq <= 121; seq++) {
                    expected.add(jsm.getMessage("CU", seq));
                }
                String leader = jsm.getStreamInfo("CU").getClusterInfo().getLeader();
                follower = JsCluster3.NAMES.stream().filter(n -> !n.equals(leader) && !n.equals("A")).findFirst()
                        .orElseThrow();
                cluster.stop(follower);
                cluster.start(follower);
                cluster.awaitMetaLeader(WAIT);
            }
            try (Connection nc = cluster.connect(follower)) {
                leadOn(nc, follower);
                assertTrue(System.nanoTime() < ttlDeadline, "caught up and leading before the TTL ran out (too slow)");
                assertEquals("short", new String(nc.jetStreamManagement().getMessage("CU", 1).getData(),
                        StandardCharsets.UTF_8), "the message with a TTL, fetched");
                while (System.nanoTime() < ttlDeadline + Duration.ofSeconds(2).toNanos()) {
                    Thread.sleep(200);
                }
                check(nc.jetStreamManagement(), expected, follower + " (memory) after its restart");
            }
        }
    }

    private static void publish(JetStream js, int from, int through) throws Exception {
        for (int i = from; i <= through; i++) {
            Headers h = new Headers().add("X-N", Integer.toString(i));
            NatsMessage m = NatsMessage.builder().subject("cu." + (i % 7)).headers(h)
                    .data(("m" + i).getBytes(StandardCharsets.UTF_8)).build();
            assertEquals(i, js.publish(m).getSeqno(), "sequence of message " + i);
        }
    }

    private static void check(JetStreamManagement jsm, List<MessageInfo> expected, String where) throws Exception {
        long present = expected.stream().filter(m -> m != null).count();
        assertEquals(present, jsm.getStreamInfo("CU").getStreamState().getMsgCount(), "message count on " + where);
        for (int i = 0; i < expected.size(); i++) {
            long seq = i + 1;
            MessageInfo want = expected.get(i);
            if (want == null) {
                JetStreamApiException e = assertThrows(JetStreamApiException.class, () -> jsm.getMessage("CU", seq),
                        "deleted message " + seq + " on " + where);
                assertEquals(10037, e.getApiErrorCode(), "no message " + seq + " on " + where);
                continue;
            }
            MessageInfo got = jsm.getMessage("CU", seq);
            assertEquals(want.getSubject(), got.getSubject(), "subject of " + seq + " on " + where);
            assertEquals(new String(want.getData(), StandardCharsets.UTF_8),
                    new String(got.getData(), StandardCharsets.UTF_8), "data of " + seq + " on " + where);
            assertEquals(want.getHeaders().getFirst("X-N"), got.getHeaders().getFirst("X-N"),
                    "header of " + seq + " on " + where);
            assertEquals(want.getTime().toInstant(), got.getTime().toInstant(), "timestamp of " + seq + " on " + where);
        }
    }

    /** Makes {@code name} the stream's leader (Go 2.11's preferred step-down), so what is read is its own copy. */
    private static void leadOn(Connection nc, String name) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String leader = "";
        while (!name.equals(leader) && System.nanoTime() < deadline) {
            try {
                nc.request("$JS.API.STREAM.LEADER.STEPDOWN.CU", ("{\"placement\":{\"preferred\":\"" + name + "\"}}")
                        .getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
            } catch (Exception e) {
                // No leader to answer for a moment.
            }
            Thread.sleep(300);
            leader = currentLeader(nc.jetStreamManagement());
        }
        assertEquals(name, leader, "the restarted replica leads");
    }

    private static void awaitLeader(Connection nc) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (currentLeader(nc.jetStreamManagement()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static String currentLeader(JetStreamManagement jsm) {
        try {
            String l = jsm.getStreamInfo("CU").getClusterInfo().getLeader();
            return l == null ? "" : l;
        } catch (Exception e) {
            return "";
        }
    }

    /** The log segment files of the stream's group on one server. */
    private List<String> groupLogs(JsCluster3 cluster, String server) throws Exception {
        Path js = dir.resolve(server).resolve("jetstream").resolve("$SYS").resolve("_js_");
        if (!Files.isDirectory(js)) {
            js = dir.resolve(server).resolve("$SYS").resolve("_js_");
        }
        try (var groups = Files.list(js); var all = Files.walk(js)) {
            return all.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .filter(p -> p.toString().contains("S-R3")).map(Path::toString).toList();
        }
    }
}
