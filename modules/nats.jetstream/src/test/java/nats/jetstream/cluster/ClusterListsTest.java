package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import nats.transport.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream names and lists in a cluster of three, paged and filtered as Go 2.9.10's meta leader does it (the expected
 * answers were taken from three Go 2.9.10 servers given the same streams and requests, 2026-12-07): the {@code
 * subject} filter against each stream's subjects (its name without subjects), sorted by name, {@code offset}
 * clamped to the count; names are {@code null} when nothing matched and {@code []} past the last match; an empty
 * list page has total 0. Account info counts usage over every replica and the consumers of every stream.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterListsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void namesAndListsArePagedAndFilteredAsGoDoes() throws Exception {
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader(Duration.ofSeconds(20));
            try (Connection a = cluster.connect("A"); Connection c = cluster.connect("C")) {
                create(a, "A1", "{\"name\":\"A1\",\"subjects\":[\"a.1\"],\"num_replicas\":3}");
                create(a, "A2", "{\"name\":\"A2\",\"subjects\":[\"a.2\",\"x\"],\"num_replicas\":1,"
                        + "\"storage\":\"memory\"}");
                create(a, "B1", "{\"name\":\"B1\",\"subjects\":[\"b.>\"],\"num_replicas\":3,\"storage\":\"memory\"}");
                create(a, "NS", "{\"name\":\"NS\",\"num_replicas\":1}");

                assertNames(c, "{\"subject\":\"a.*\"}", 2, 0, List.of("A1", "A2"));
                assertNames(c, "{\"subject\":\"a.*\",\"offset\":1}", 2, 1, List.of("A2"));
                assertNames(c, "{\"subject\":\"a.*\",\"offset\":5}", 2, 2, List.of());
                assertNames(c, "{\"subject\":\"zz\"}", 0, 0, null);
                assertNames(c, "{\"subject\":\"NS\"}", 1, 0, List.of("NS"));
                assertNames(c, "{\"offset\":2}", 4, 2, List.of("B1", "NS"));
                assertNames(c, "", 4, 0, List.of("A1", "A2", "B1", "NS"));

                assertList(c, "{\"subject\":\"a.*\",\"offset\":5}", 0, 2, List.of());
                assertList(c, "{\"subject\":\"b.x\"}", 1, 0, List.of("B1"));
                assertList(c, "{\"subject\":\"zz\"}", 0, 0, List.of());
                assertList(c, "{\"offset\":1}", 4, 1, List.of("A2", "B1", "NS"));
                assertList(c, "{\"subject\":\"x\"}", 1, 0, List.of("A2"));

                Map<String, Object> bad = request(c, "$JS.API.STREAM.NAMES", "{\"offset\":");
                assertEquals(10025L, ((Map<?, ?>) bad.get("error")).get("err_code"), "invalid JSON: " + bad);

                // Account info over the cluster (Go 2.9.10 with the same streams, messages and consumers: memory
                // 420 = A2 105 + B1 3 x 105, storage 585 = A1 3 x 195, streams 4, consumers 3).
                for (int i = 1; i <= 5; i++) {
                    a.jetStream().publish("a.1", ("hello" + i).getBytes(StandardCharsets.UTF_8));
                    a.jetStream().publish("a.2", ("x" + i).getBytes(StandardCharsets.UTF_8));
                    a.jetStream().publish("b.q", ("y" + i).getBytes(StandardCharsets.UTF_8));
                }
                durable(c, "A1", "D1");
                durable(c, "A2", "D2");
                durable(c, "B1", "D3");
                for (Connection nc : List.of(a, c)) {
                    Map<String, Object> info = awaitUsage(nc, 3);
                    assertEquals(420L, info.get("memory"), "memory over every replica: " + info);
                    assertEquals(585L, info.get("storage"), "storage over every replica: " + info);
                    assertEquals(4L, info.get("streams"), "streams assigned: " + info);
                    assertEquals(3L, info.get("consumers"), "consumers of every stream: " + info);
                }
            }
        }
    }

    private static void durable(Connection nc, String stream, String name) throws Exception {
        Map<String, Object> r = request(nc, "$JS.API.CONSUMER.DURABLE.CREATE." + stream + "." + name,
                "{\"stream_name\":\"" + stream + "\",\"config\":{\"durable_name\":\"" + name
                        + "\",\"ack_policy\":\"explicit\"}}");
        assertEquals(null, r.get("error"), name + " created: " + r);
    }

    /** Account info once the servers' usage reports (about a second apart) show every consumer and byte. */
    private static Map<String, Object> awaitUsage(Connection nc, long consumers) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, Object> info = request(nc, "$JS.API.INFO", "");
        while (System.nanoTime() < deadline && !(Long.valueOf(consumers).equals(info.get("consumers"))
                && Long.valueOf(420).equals(info.get("memory")) && Long.valueOf(585).equals(info.get("storage")))) {
            Thread.sleep(200);
            info = request(nc, "$JS.API.INFO", "");
        }
        return info;
    }

    private static void create(Connection nc, String name, String config) throws Exception {
        Map<String, Object> r = request(nc, "$JS.API.STREAM.CREATE." + name, config);
        assertEquals(null, r.get("error"), name + " created: " + r);
    }

    private static void assertNames(Connection nc, String body, long total, long offset, List<String> names)
            throws Exception {
        Map<String, Object> r = request(nc, "$JS.API.STREAM.NAMES", body);
        assertEquals(total, r.get("total"), "total for " + body + ": " + r);
        assertEquals(offset, r.get("offset"), "offset for " + body + ": " + r);
        assertEquals(1024L, r.get("limit"), "limit for " + body + ": " + r);
        assertEquals(names, r.get("streams"), "names for " + body + ": " + r);
    }

    private static void assertList(Connection nc, String body, long total, long offset, List<String> names)
            throws Exception {
        Map<String, Object> r = request(nc, "$JS.API.STREAM.LIST", body);
        assertEquals(total, r.get("total"), "total for " + body + ": " + r);
        assertEquals(offset, r.get("offset"), "offset for " + body + ": " + r);
        assertEquals(256L, r.get("limit"), "limit for " + body + ": " + r);
        List<String> listed = new ArrayList<>();
        for (Object s : (List<?>) r.get("streams")) {
            listed.add((String) ((Map<?, ?>) ((Map<?, ?>) s).get("config")).get("name"));
        }
        assertEquals(names, listed, "streams for " + body + ": " + r);
        assertEquals(null, r.get("missing"), "every leader answered for " + body + ": " + r);
    }

    static Map<String, Object> request(Connection nc, String subject, String body) throws Exception {
        Message m = nc.request(subject, body.getBytes(StandardCharsets.UTF_8), WAIT);
        assertNotNull(m, "an answer to " + subject + " " + body);
        return Json.parseObject(new String(m.getData(), StandardCharsets.UTF_8));
    }
}
