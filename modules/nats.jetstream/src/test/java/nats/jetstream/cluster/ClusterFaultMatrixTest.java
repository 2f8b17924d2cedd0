package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clustered JetStream under faults (issue 17: "ours must be correct first"): three server processes, an R3 file
 * stream, a jnats asynchronous publisher recording every acknowledged sequence, and one fault per test: the leader
 * killed with SIGKILL or paused with SIGSTOP past the election timeout, a follower's message block or RAFT log
 * damaged while it is down, a follower paused for 10 s, wall clocks moved by hours (libfaketime). Afterwards each replica, made leader in turn, must serve
 * exactly the acknowledged messages at their acknowledged sequences, all three alike (subject, payload, timestamp),
 * and no sequence may have been acknowledged for two payloads. Go 2.9.10 failed the damaged-block and the paused-
 * leader cases (acknowledged messages missing on a replica reported current).
 */
@Tag("slow")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterFaultMatrixTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String STREAM = "F";

    @TempDir
    Path dir;

    private static void createStream(JetStreamManagement jsm) throws Exception {
        jsm.addStream(StreamConfiguration.builder().name(STREAM).subjects("f").replicas(3)
                .storageType(StorageType.File).build());
    }

    @Test
    void leaderKilledUnderLoad() throws Exception {
        try (JsProcesses3 cluster = new JsProcesses3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader();
            try (Connection nc = cluster.connect()) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                createStream(jsm);
                try (AckedPublisher pub = new AckedPublisher(nc, "f", 64, 400, 4_000)) {
                    pub.awaitAcked(400, WAIT);
                    String leader = StreamLeaders.await(jsm, STREAM, WAIT);
                    cluster.kill(leader);
                    pub.awaitAcked(pub.ackedCount() + 300, WAIT); // the others elected a leader and go on
                    cluster.launch(leader);
                    pub.awaitAcked(pub.ackedCount() + 300, WAIT);
                    pub.finish(WAIT);
                    verify(cluster, nc, jsm, pub, "leader " + leader + " killed");
                }
            }
        }
    }

    @Test
    void leaderPausedPastElectionTimeout() throws Exception {
        try (JsProcesses3 cluster = new JsProcesses3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader();
            String old;
            try (Connection first = cluster.connect()) {
                createStream(first.jetStreamManagement());
                old = StreamLeaders.await(first.jetStreamManagement(), STREAM, WAIT);
            }
            // The clients stay off the server to be paused: a client of a stopped server waits for its pings to fail.
            String other = JsCluster3.NAMES.stream().filter(n -> !n.equals(old)).findFirst().orElseThrow();
            try (Connection nc = cluster.connect(other)) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                try (AckedPublisher pub = new AckedPublisher(nc, "f", 64, 400, 4_000)) {
                    pub.awaitAcked(400, WAIT);
                    assertEquals(old, StreamLeaders.await(jsm, STREAM, WAIT), "the leader before the pause");
                    cluster.pause(old);
                    try {
                        // Elections take 1–2.25 s in these processes: 4 s is well past them.
                        pub.awaitAcked(pub.ackedCount() + 300, WAIT);
                        Thread.sleep(4_000);
                        String now = StreamLeaders.await(jsm, STREAM, WAIT);
                        assertNotEquals(old, now, "another replica leads while " + old + " is stopped");
                    } finally {
                        cluster.resume(old);
                    }
                    pub.awaitAcked(pub.ackedCount() + 300, WAIT);
                    pub.finish(WAIT);
                    verify(cluster, nc, jsm, pub, "leader " + old + " paused");
                }
            }
        }
    }

    @Test
    void followerPausedTenSecondsCatchesUp() throws Exception {
        try (JsProcesses3 cluster = new JsProcesses3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader();
            try (Connection nc = cluster.connect()) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                createStream(jsm);
                String follower = follower(jsm);
                try (Connection client = cluster.connect(StreamLeaders.await(jsm, STREAM, WAIT));
                     AckedPublisher pub = new AckedPublisher(client, "f", 64, 400, 6_000)) {
                    pub.awaitAcked(400, WAIT);
                    cluster.pause(follower);
                    int before = pub.ackedCount();
                    try {
                        Thread.sleep(10_000);
                    } finally {
                        cluster.resume(follower);
                    }
                    assertTrue(pub.ackedCount() > before + 1_000, "publishing went on without " + follower + ": "
                            + (pub.ackedCount() - before) + " acknowledged in 10 s");
                    pub.finish(WAIT);
                    verify(cluster, client, client.jetStreamManagement(), pub, "follower " + follower + " paused");
                }
            }
        }
    }

    @Test
    void followerMessageBlockDamagedWhileStopped() throws Exception {
        try (JsProcesses3 cluster = new JsProcesses3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader();
            try (Connection nc = cluster.connect()) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                createStream(jsm);
                try (AckedPublisher pub = new AckedPublisher(nc, "f", 64, 1_000, 1_500)) {
                    pub.awaitAcked(1_500, WAIT);
                    ReplicaContents.awaitCurrent(jsm, STREAM, WAIT);
                    String follower = follower(jsm);
                    cluster.stop(follower);
                    List<String> flipped = flipBlockBytes(cluster.storeDir(follower));
                    System.out.println("ClusterFaultMatrixTest: flipped " + flipped);
                    cluster.launch(follower);
                    awaitLog(cluster, follower, "message checksum mismatch"); // the store found the damage
                    awaitLog(cluster, follower, "to damage; fetching"); // the replica repairs it from the others
                    pub.finish(WAIT);
                    verify(cluster, nc, jsm, pub, "block of " + follower + " damaged at " + flipped);
                }
            }
        }
    }

    @Test
    void followerRaftLogDamagedWhileStopped() throws Exception {
        try (JsProcesses3 cluster = new JsProcesses3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader();
            try (Connection nc = cluster.connect()) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                createStream(jsm);
                try (AckedPublisher pub = new AckedPublisher(nc, "f", 64, 1_000, 1_400)) {
                    pub.awaitAcked(1_400, WAIT);
                    ReplicaContents.awaitCurrent(jsm, STREAM, WAIT);
                    String follower = follower(jsm);
                    cluster.stop(follower);
                    String damaged = damageRaftLog(cluster.storeDir(follower));
                    cluster.launch(follower);
                    awaitLog(cluster, follower, "will not vote until a leader has repaired it");
                    pub.finish(WAIT);
                    verify(cluster, nc, jsm, pub, "RAFT log of " + follower + " damaged: " + damaged);
                }
            }
        }
    }

    /**
     * Wall clocks jump (an NTP step, an operator's {@code date -s}): the leader's an hour ahead, then an hour behind
     * where it started while a follower's goes half an hour ahead, and that follower takes over. Elections and
     * timeouts run on monotonic clocks, and a message's time is the proposing leader's, stored alike on every
     * replica, so nothing acknowledged is lost and the replicas agree, timestamps included.
     */
    @Test
    void wallClocksJumpForwardAndBack() throws Exception {
        try (JsProcesses3 cluster = new JsProcesses3(dir)) {
            cluster.fakeClocks();
            cluster.startAll();
            cluster.awaitMetaLeader();
            try (Connection nc = cluster.connect()) {
                // libfaketime makes every clock call of the JVM slower: the servers answer later than jnats' 5 s.
                JetStreamManagement jsm = nc.jetStreamManagement(JetStreamOptions.builder()
                        .requestTimeout(WAIT).build());
                createStream(jsm);
                try (AckedPublisher pub = new AckedPublisher(nc, "f", 64, 400, 4_000)) {
                    pub.awaitAcked(400, WAIT);
                    String leader = StreamLeaders.await(jsm, STREAM, WAIT);
                    String follower = follower(jsm);
                    cluster.clockOffset(leader, "+3600s");
                    Thread.sleep(1_500); // libfaketime reads the offset about once a second
                    pub.awaitAcked(pub.ackedCount() + 300, WAIT);
                    cluster.clockOffset(leader, "-3600s");
                    cluster.clockOffset(follower, "+1800s");
                    Thread.sleep(1_500);
                    pub.awaitAcked(pub.ackedCount() + 300, WAIT);
                    nc.request("$JS.API.STREAM.LEADER.STEPDOWN." + STREAM, new byte[0], WAIT);
                    pub.awaitAcked(pub.ackedCount() + 300, WAIT);
                    pub.finish(WAIT);
                    verify(cluster, nc, jsm, pub, "clocks of " + leader + " and " + follower + " moved");
                    assertClocksMoved(jsm, pub.ackedCount());
                }
            }
        }
    }

    /** The stream's timestamps show the jumps happened: some an hour ahead of the test's clock, some behind. */
    private static void assertClocksMoved(JetStreamManagement jsm, int messages) throws Exception {
        long ahead = 0;
        long behind = 0;
        java.time.Instant now = java.time.Instant.now();
        for (long seq = 1; seq <= messages; seq += 10) {
            java.time.Instant stamp = jsm.getMessage(STREAM, seq).getTime().toInstant();
            ahead += stamp.isAfter(now.plus(Duration.ofMinutes(30))) ? 1 : 0;
            behind += stamp.isBefore(now.minus(Duration.ofMinutes(30))) ? 1 : 0;
        }
        assertTrue(ahead > 0 && behind > 0, "messages stamped an hour ahead (" + ahead + ") and behind (" + behind
                + ") of the test's clock");
    }

    /** The common end of every scenario: replicas current, then each read as leader and compared. */
    private static void verify(JsProcesses3 cluster, Connection nc, JetStreamManagement jsm, AckedPublisher pub,
                               String what) throws Exception {
        assertEquals(List.of(), pub.violations(), "acknowledgements after " + what);
        ReplicaContents.awaitCurrent(jsm, STREAM, WAIT);
        System.out.println("ClusterFaultMatrixTest: " + what + ": " + pub.ackedCount() + " acknowledged, "
                + pub.retries() + " republished");
        ReplicaContents.check(nc, jsm, STREAM, JsCluster3.NAMES, pub.acked(), WAIT);
    }

    private static String follower(JetStreamManagement jsm) throws InterruptedException {
        String leader = StreamLeaders.await(jsm, STREAM, WAIT);
        return JsCluster3.NAMES.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    }

    private static String awaitLog(JsProcesses3 cluster, String name, String text) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String log = cluster.log(name);
            if (log.contains(text)) {
                return log;
            }
            Thread.sleep(100);
        }
        String log = cluster.log(name);
        throw new AssertionError(name + " did not log \"" + text + "\" within " + WAIT + "; its log ends with:\n"
                + log.substring(Math.max(0, log.length() - 4000)));
    }

    /**
     * Flips bytes inside the replica's first message block (at 2/8 … 6/8 of it: records in the middle of the
     * stream, below its group's last snapshot); returns where.
     */
    static List<String> flipBlockBytes(Path store) throws IOException {
        Path block;
        try (Stream<Path> files = Files.walk(store)) {
            block = files.filter(p -> p.toString().contains("replicas") && p.getFileName().toString().endsWith(".blk"))
                    .min(Comparator.comparing(Path::toString)).orElseThrow(() -> new AssertionError("no block in "
                            + store));
        }
        List<String> where = new ArrayList<>();
        try (RandomAccessFile f = new RandomAccessFile(block.toFile(), "rw")) {
            long size = written(f);
            for (int k = 2; k <= 6; k += 2) {
                long at = size * k / 8;
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 0x5A);
                where.add(block.getFileName() + "@" + at);
            }
        }
        return where;
    }

    /** Cuts the stream group's last RAFT log segment at 70 % and flips a byte at 35 %; returns what it did. */
    static String damageRaftLog(Path store) throws IOException {
        Path segment;
        try (Stream<Path> files = Files.walk(store)) {
            segment = files.filter(p -> p.getParent().getFileName().toString().startsWith("S-")
                            && p.getParent().getParent().getFileName().toString().equals("_js_")
                            && p.getFileName().toString().startsWith("seg-"))
                    .max(Comparator.comparing(Path::toString)).orElseThrow(() -> new AssertionError("no segment"));
        }
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            long size = written(f);
            f.seek(size * 35 / 100);
            int b = f.read();
            f.seek(size * 35 / 100);
            f.write(b ^ 0x5A);
            f.setLength(size * 70 / 100);
            return segment.getFileName() + " of " + size + " bytes cut at " + size * 70 / 100 + ", byte "
                    + size * 35 / 100 + " flipped";
        }
    }

    /** The length of a file without the zeros at its end (files may be allocated ahead of their records). */
    private static long written(RandomAccessFile f) throws IOException {
        long end = f.length();
        byte[] chunk = new byte[8192];
        while (end > 0) {
            int n = (int) Math.min(chunk.length, end);
            f.seek(end - n);
            f.readFully(chunk, 0, n);
            for (int i = n - 1; i >= 0; i--) {
                if (chunk[i] != 0) {
                    return end - n + i + 1;
                }
            }
            end -= n;
        }
        return 0;
    }
}
