package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.api.PublishAck;
import nats.transport.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which server answers what in a cluster of three (Go 2.9.10 checked by hand for the texts): each request gets
 * exactly one answer whichever server the client is on; placement beyond the cluster's size fails with Go's 10005
 * "no suitable peers for placement"; R1 and R3 streams, names, lists gathered from the stream leaders, info with
 * the {@code cluster} block, account info,
 * purge and message delete applied by every replica, stream and meta leader step-down, delete and {@code /jsz}
 * {@code meta_cluster}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterApiTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void everyRequestIsAnsweredOnceByTheRightServer() throws Exception {
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            cluster.startAll();
            String metaLeader = cluster.awaitMetaLeader(Duration.ofSeconds(20));
            try (Connection a = cluster.connect("A"); Connection b = cluster.connect("B");
                 Connection c = cluster.connect("C")) {
                Map<String, Object> r5 = only(a, "$JS.API.STREAM.CREATE.FIVE",
                        "{\"name\":\"FIVE\",\"subjects\":[\"five\"],\"num_replicas\":5}");
                assertEquals(Map.of("code", 400L, "err_code", 10005L, "description", "no suitable peers for placement"),
                        r5.get("error"), "Go's error for too few peers: " + r5);

                Map<String, Object> one = only(b, "$JS.API.STREAM.CREATE.ONE",
                        "{\"name\":\"ONE\",\"subjects\":[\"one.>\"],\"storage\":\"memory\",\"num_replicas\":1}");
                assertEquals(null, one.get("error"), "R1 created: " + one);
                Map<String, Object> three = only(c, "$JS.API.STREAM.CREATE.THREE",
                        "{\"name\":\"THREE\",\"subjects\":[\"three.>\"],\"num_replicas\":3}");
                assertEquals(null, three.get("error"), "R3 created: " + three);

                for (Connection nc : List.of(a, b, c)) {
                    Map<String, Object> names = only(nc, "$JS.API.STREAM.NAMES", "");
                    assertEquals(List.of("ONE", "THREE"), names.get("streams"), "names: " + names);
                    Map<String, Object> info = only(nc, "$JS.API.STREAM.INFO.ONE", "");
                    Map<?, ?> ci = (Map<?, ?>) info.get("cluster");
                    assertNotNull(ci, "cluster block: " + info);
                    assertEquals("jsc", ci.get("name"), "cluster name: " + info);
                    assertTrue(JsCluster3.NAMES.contains(ci.get("leader")), "a leader: " + info);
                    assertEquals(null, ci.get("replicas"), "R1 has no other replicas: " + info);
                    Map<String, Object> account = only(nc, "$JS.API.INFO", "");
                    assertEquals(null, account.get("error"), "account info: " + account);
                }

                PublishAck ack = a.jetStream().publish("one.x", "hello".getBytes(StandardCharsets.UTF_8));
                assertEquals(1, ack.getSeqno(), "first message of the R1 stream");
                // The meta leader gathers each stream's info from its leader (Go's $JSC.SI scatter and gather).
                for (Connection nc : List.of(a, b, c)) {
                    Map<String, Object> list = only(nc, "$JS.API.STREAM.LIST", "");
                    List<?> streams = (List<?>) list.get("streams");
                    assertEquals(2, streams.size(), "two streams listed: " + list);
                    assertEquals(null, list.get("missing"), "every leader answered: " + list);
                    Map<?, ?> first = (Map<?, ?>) streams.get(0);
                    assertEquals("ONE", ((Map<?, ?>) first.get("config")).get("name"), "sorted by name: " + list);
                    assertEquals(1L, ((Map<?, ?>) first.get("state")).get("messages"), "ONE's state: " + list);
                    assertNotNull(first.get("cluster"), "cluster block in the list: " + list);
                }
                Map<String, Object> info = only(a, "$JS.API.STREAM.INFO.THREE", "");
                assertEquals(2, ((List<?>) ((Map<?, ?>) info.get("cluster")).get("replicas")).size(),
                        "R3 shows its two other replicas: " + info);

                // Purge and message delete go through the stream's group: every replica applies them.
                for (int i = 1; i <= 5; i++) {
                    assertEquals(i, a.jetStream().publish("three.x", ("t" + i).getBytes(StandardCharsets.UTF_8))
                            .getSeqno(), "message " + i + " of THREE");
                }
                Map<String, Object> deletedMsg = only(c, "$JS.API.STREAM.MSG.DELETE.THREE", "{\"seq\":5}");
                assertEquals(Boolean.TRUE, deletedMsg.get("success"), "message 5 deleted: " + deletedMsg);
                Map<String, Object> purge = only(b, "$JS.API.STREAM.PURGE.THREE", "{\"keep\":1}");
                assertEquals(3L, purge.get("purged"), "purge keeping one: " + purge);
                String threeLeader = (String) ((Map<?, ?>) only(a, "$JS.API.STREAM.INFO.THREE", "").get("cluster"))
                        .get("leader");
                Map<String, Object> down3 = only(a, "$JS.API.STREAM.LEADER.STEPDOWN.THREE", "");
                assertEquals(Boolean.TRUE, down3.get("success"), "stream step-down: " + down3);
                Map<?, ?> state = awaitStateOnOtherLeader(a, threeLeader);
                assertEquals(1L, state.get("messages"), "one message left on the next leader: " + state);
                assertEquals(4L, state.get("first_seq"), "message 4 kept on the next leader: " + state);

                Map<String, Object> leaderJsz = cluster.jsz(metaLeader);
                Map<?, ?> meta = (Map<?, ?>) leaderJsz.get("meta_cluster");
                assertEquals(3L, meta.get("cluster_size"), "meta cluster size: " + meta);
                assertEquals(2, ((List<?>) meta.get("replicas")).size(), "the meta leader lists two replicas: " + meta);

                Map<String, Object> down = only(c, "$JS.API.META.LEADER.STEPDOWN", "");
                assertEquals(Boolean.TRUE, down.get("success"), "meta step-down: " + down);
                assertNotEquals(metaLeader, awaitOtherMetaLeader(cluster, metaLeader), "a new meta leader");

                Map<String, Object> deleted = only(a, "$JS.API.STREAM.DELETE.ONE", "");
                assertEquals(Boolean.TRUE, deleted.get("success"), "delete: " + deleted);
                assertEquals(List.of("THREE"), only(b, "$JS.API.STREAM.NAMES", "").get("streams"), "ONE is gone");
            }
        }
    }

    /** The stream state of THREE as a leader other than {@code old} reports it. */
    private static Map<?, ?> awaitStateOnOtherLeader(Connection nc, String old) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Message m = nc.request("$JS.API.STREAM.INFO.THREE", new byte[0], Duration.ofSeconds(2));
            if (m != null) {
                Map<String, Object> info = Json.parseObject(new String(m.getData(), StandardCharsets.UTF_8));
                Object leader = info.get("cluster") instanceof Map<?, ?> ci ? ci.get("leader") : null;
                if (leader != null && !leader.equals(old)) {
                    return (Map<?, ?>) info.get("state");
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("THREE kept its leader " + old);
    }

    private static String awaitOtherMetaLeader(JsCluster3 cluster, String old) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String l = cluster.awaitMetaLeader(WAIT);
            if (!l.equals(old)) {
                return l;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the meta leader stayed " + old);
    }

    /** Sends a request and returns its only answer (waiting a while after the first for a second one). */
    private static Map<String, Object> only(Connection nc, String subject, String body) throws Exception {
        return SingleAnswer.of(nc, subject, body, WAIT);
    }
}
