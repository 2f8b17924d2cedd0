package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import nats.transport.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mirrors and sources of clustered streams (Go 2.9: the stream's leader follows its origins, wherever they are led,
 * and replicates what they deliver through the stream's group): an R3 mirror of an R3 origin holds the origin's
 * messages at the same sequences on every replica (each made leader in turn), leader changes of the mirror while
 * the origin is being published to leave neither gaps nor duplicates, a new origin leader is followed, an R3 stream sources from an R1 and an R3
 * origin, and a mirror created before its origin catches up once the origin exists.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusteredMirrorTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private JsCluster3 cluster;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        cluster = new JsCluster3(dir);
        cluster.startAll();
        cluster.awaitMetaLeader(WAIT);
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    void r3MirrorOfR3OriginOnEveryReplica() throws Exception {
        try (Connection nc = cluster.connect("A")) {
            create(nc, "ORIG1", "{\"name\":\"ORIG1\",\"subjects\":[\"o1.>\"],\"num_replicas\":3}");
            create(nc, "MIR1", "{\"name\":\"MIR1\",\"mirror\":{\"name\":\"ORIG1\"},\"num_replicas\":3}");
            JetStream js = nc.jetStream();
            for (int i = 1; i <= 200; i++) {
                js.publish("o1." + (i % 7), ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            JetStreamManagement jsm = nc.jetStreamManagement();
            awaitLastSeq(jsm, "MIR1", 200);

            Map<String, Object> info = streamInfo(nc, "MIR1");
            assertTrue(info.get("mirror") instanceof Map<?, ?>, "STREAM.INFO carries the mirror block: " + info);
            Map<?, ?> mirror = (Map<?, ?>) info.get("mirror");
            assertEquals("ORIG1", mirror.get("name"), "the mirror's origin: " + mirror);
            assertEquals(0L, ((Number) mirror.get("lag")).longValue(), "caught up: " + mirror);
            assertTrue(((Number) mirror.get("active")).longValue() >= 0, "heard from the origin: " + mirror);

            Set<String> leaders = new HashSet<>();
            for (int round = 0; round < 3; round++) {
                String leader = StreamLeaders.await(jsm, "MIR1", WAIT);
                leaders.add(leader);
                assertSameMessages(jsm, "ORIG1", "MIR1", 1, 200, leader);
                if (round < 2) {
                    String other = JsCluster3.NAMES.stream().filter(n -> !leaders.contains(n)).findFirst().orElseThrow();
                    StreamLeaders.make(nc, jsm, "MIR1", other, WAIT);
                }
            }
            assertEquals(3, leaders.size(), "every replica led and held the mirror: " + leaders);
        }
    }

    @Test
    void mirrorLeaderChangesWhileOriginIsPublishedTo() throws Exception {
        try (Connection nc = cluster.connect("B")) {
            create(nc, "ORIG2", "{\"name\":\"ORIG2\",\"subjects\":[\"o2\"],\"num_replicas\":3}");
            create(nc, "MIR2", "{\"name\":\"MIR2\",\"mirror\":{\"name\":\"ORIG2\"},\"num_replicas\":3}");
            JetStreamManagement jsm = nc.jetStreamManagement();
            int total = 600;
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread publisher = Thread.ofPlatform().start(() -> {
                try (Connection pc = cluster.connect("C")) {
                    JetStream js = pc.jetStream();
                    for (int i = 1; i <= total; i++) {
                        js.publish("o2", ("p" + i).getBytes(StandardCharsets.UTF_8));
                        if (i % 100 == 0) {
                            Thread.sleep(150);
                        }
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            for (int i = 0; i < 3; i++) {
                Thread.sleep(300);
                String leader = StreamLeaders.await(jsm, "MIR2", WAIT);
                String next = JsCluster3.NAMES.get((JsCluster3.NAMES.indexOf(leader) + 1) % 3);
                StreamLeaders.make(nc, jsm, "MIR2", next, WAIT);
            }
            publisher.join(WAIT.toMillis());
            assertNull(failed.get(), "every publish to the origin acknowledged");
            awaitLastSeq(jsm, "MIR2", total);
            StreamInfo info = jsm.getStreamInfo("MIR2");
            assertEquals(total, info.getStreamState().getMsgCount(), "no duplicates, no gaps: " + info.getStreamState());
            assertSameMessages(jsm, "ORIG2", "MIR2", 1, total, StreamLeaders.await(jsm, "MIR2", WAIT));
        }
    }

    @Test
    void mirrorFollowsItsOriginToANewLeader() throws Exception {
        try (Connection nc = cluster.connect("A")) {
            create(nc, "ORIG5", "{\"name\":\"ORIG5\",\"subjects\":[\"o5\"],\"num_replicas\":3}");
            create(nc, "MIR5", "{\"name\":\"MIR5\",\"mirror\":{\"name\":\"ORIG5\"},\"num_replicas\":3}");
            JetStream js = nc.jetStream();
            for (int i = 1; i <= 100; i++) {
                js.publish("o5", ("x" + i).getBytes(StandardCharsets.UTF_8));
            }
            JetStreamManagement jsm = nc.jetStreamManagement();
            awaitLastSeq(jsm, "MIR5", 100);
            // The origin's leader held the mirror's (direct, unreplicated) consumer: the mirror makes a new one.
            String originLeader = StreamLeaders.await(jsm, "ORIG5", WAIT);
            String next = JsCluster3.NAMES.get((JsCluster3.NAMES.indexOf(originLeader) + 1) % 3);
            StreamLeaders.make(nc, jsm, "ORIG5", next, WAIT);
            for (int i = 101; i <= 200; i++) {
                publishRetrying(js, "o5", "x" + i);
            }
            awaitLastSeq(jsm, "MIR5", 200);
            assertSameMessages(jsm, "ORIG5", "MIR5", 1, 200, StreamLeaders.await(jsm, "MIR5", WAIT));
        }
    }

    private static void publishRetrying(JetStream js, String subject, String body) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                js.publish(subject, body.getBytes(StandardCharsets.UTF_8));
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    void r3StreamSourcesFromTwoOrigins() throws Exception {
        try (Connection nc = cluster.connect("C")) {
            create(nc, "SRC1", "{\"name\":\"SRC1\",\"subjects\":[\"s1.>\"],\"num_replicas\":1}");
            create(nc, "SRC2", "{\"name\":\"SRC2\",\"subjects\":[\"s2.>\"],\"num_replicas\":3}");
            create(nc, "AGG", "{\"name\":\"AGG\",\"sources\":[{\"name\":\"SRC1\"},{\"name\":\"SRC2\"}],"
                    + "\"num_replicas\":3}");
            JetStream js = nc.jetStream();
            for (int i = 1; i <= 100; i++) {
                js.publish("s1.x", ("a" + i).getBytes(StandardCharsets.UTF_8));
                js.publish("s2.y", ("b" + i).getBytes(StandardCharsets.UTF_8));
            }
            JetStreamManagement jsm = nc.jetStreamManagement();
            awaitLastSeq(jsm, "AGG", 200);
            String leader = StreamLeaders.await(jsm, "AGG", WAIT);
            String next = JsCluster3.NAMES.get((JsCluster3.NAMES.indexOf(leader) + 1) % 3);
            StreamLeaders.make(nc, jsm, "AGG", next, WAIT);
            for (int i = 101; i <= 150; i++) {
                js.publish("s1.x", ("a" + i).getBytes(StandardCharsets.UTF_8));
            }
            awaitLastSeq(jsm, "AGG", 250);
            Thread.sleep(1500); // a duplicate would arrive within a heartbeat or two
            assertEquals(250, jsm.getStreamInfo("AGG").getStreamState().getMsgCount(), "each sourced message once");
            Set<String> seen = new HashSet<>();
            for (long seq = 1; seq <= 250; seq++) {
                MessageInfo m = jsm.getMessage("AGG", seq);
                String source = m.getHeaders().getFirst("Nats-Stream-Source");
                assertNotNull(source, "sourced message at " + seq + " names its source");
                assertTrue(seen.add(source), "origin message sourced once: " + source);
            }
            Map<String, Object> info = streamInfo(nc, "AGG");
            assertTrue(info.get("sources") instanceof List<?> l && l.size() == 2, "both sources in the info: " + info);
        }
    }

    @Test
    void mirrorCreatedBeforeItsOriginCatchesUp() throws Exception {
        try (Connection nc = cluster.connect("A")) {
            create(nc, "MIR4", "{\"name\":\"MIR4\",\"mirror\":{\"name\":\"LATE\"},\"num_replicas\":3}");
            Thread.sleep(500);
            create(nc, "LATE", "{\"name\":\"LATE\",\"subjects\":[\"late\"],\"num_replicas\":3}");
            JetStream js = nc.jetStream();
            for (int i = 1; i <= 50; i++) {
                js.publish("late", ("l" + i).getBytes(StandardCharsets.UTF_8));
            }
            JetStreamManagement jsm = nc.jetStreamManagement();
            awaitLastSeq(jsm, "MIR4", 50);
            assertSameMessages(jsm, "LATE", "MIR4", 1, 50, StreamLeaders.await(jsm, "MIR4", WAIT));
        }
    }

    private static void create(Connection nc, String name, String config) throws Exception {
        Message r = nc.request("$JS.API.STREAM.CREATE." + name, config.getBytes(StandardCharsets.UTF_8), WAIT);
        assertNotNull(r, "an answer to the create of " + name);
        Map<String, Object> answer = Json.parseObject(new String(r.getData(), StandardCharsets.UTF_8));
        assertNull(answer.get("error"), "create of " + name + " succeeded: " + answer);
    }

    private static Map<String, Object> streamInfo(Connection nc, String name) throws Exception {
        Message r = nc.request("$JS.API.STREAM.INFO." + name, new byte[0], WAIT);
        return Json.parseObject(new String(r.getData(), StandardCharsets.UTF_8));
    }

    private static void awaitLastSeq(JetStreamManagement jsm, String stream, long last) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long seen = -1;
        while (System.nanoTime() < deadline) {
            try {
                seen = jsm.getStreamInfo(stream).getStreamState().getLastSequence();
                if (seen >= last) {
                    return;
                }
            } catch (Exception e) {
                // no leader answering for a moment
            }
            Thread.sleep(100);
        }
        throw new AssertionError(stream + " reached sequence " + seen + ", not " + last);
    }

    /** The messages {@code from..to} of the mirror equal the origin's (subject, data) at the same sequences. */
    private static void assertSameMessages(JetStreamManagement jsm, String origin, String mirror, long from, long to,
                                           String leader) throws Exception {
        StreamInfo info = jsm.getStreamInfo(mirror);
        assertEquals(leader, info.getClusterInfo().getLeader(), "still the same mirror leader while reading");
        assertEquals(to - from + 1, info.getStreamState().getMsgCount(), "message count of " + mirror + " on " + leader);
        for (long seq = from; seq <= to; seq++) {
            MessageInfo o = jsm.getMessage(origin, seq);
            MessageInfo m = jsm.getMessage(mirror, seq);
            assertEquals(o.getSubject(), m.getSubject(), "subject at " + seq + " on " + leader);
            assertEquals(new String(o.getData(), StandardCharsets.UTF_8), new String(m.getData(), StandardCharsets.UTF_8),
                    "data at " + seq + " on " + leader);
        }
    }
}
