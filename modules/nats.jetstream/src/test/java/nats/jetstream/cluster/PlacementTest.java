package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import nats.testing.GoServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream placement by tags as Go's selectPeerGroup: servers A {@code az:1, ssd}, B {@code az:2, ssd} and C
 * {@code az:1}, each with {@code unique_tag: "az:"}. Replicas land only on servers with every placement tag and
 * in distinct availability zones; when too few servers qualify the error says why with Go's texts, and the same
 * requests get the same errors from a Go 2.9.10 cluster configured alike.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class PlacementTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Map<String, String> TAGS = Map.of("A", "[\"az:1\", \"SSD\"]", "B", "[\"az:2\", \"ssd\"]",
            "C", "[\"az:1\"]");
    /** Requests whose outcome is an error, by stream name. */
    private static final Map<String, String> REFUSED = new LinkedHashMap<>();

    static {
        REFUSED.put("SSD3", "{\"name\":\"SSD3\",\"subjects\":[\"ssd3\"],\"num_replicas\":3,"
                + "\"placement\":{\"tags\":[\"ssd\"]}}");
        REFUSED.put("ANY3", "{\"name\":\"ANY3\",\"subjects\":[\"any3\"],\"num_replicas\":3}");
        REFUSED.put("GPU1", "{\"name\":\"GPU1\",\"subjects\":[\"gpu1\"],\"num_replicas\":1,"
                + "\"placement\":{\"tags\":[\"gpu\"]}}");
        REFUSED.put("ELSEWHERE", "{\"name\":\"ELSEWHERE\",\"subjects\":[\"else\"],\"num_replicas\":1,"
                + "\"placement\":{\"cluster\":\"other\"}}");
    }

    @TempDir
    Path dir;

    @Test
    void replicasGoWhereTheTagsAllowAndTheRefusalsSayWhyAsGo() throws Exception {
        Map<String, Object> ours;
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            for (String n : JsCluster3.NAMES) {
                cluster.configure(n, "server_tags: " + TAGS.get(n), "unique_tag: \"az:\"");
            }
            cluster.startAll();
            cluster.awaitMetaLeader(Duration.ofSeconds(20));
            try (Connection nc = cluster.connect("A")) {
                Map<String, Object> ssd = only(nc, "$JS.API.STREAM.CREATE.SSD2", "{\"name\":\"SSD2\","
                        + "\"subjects\":[\"ssd2\"],\"num_replicas\":2,\"placement\":{\"tags\":[\"SSD\"]}}");
                assertEquals(null, ssd.get("error"), "two servers carry ssd, in two zones: " + ssd);
                assertEquals(Set.of("A", "B"), servers(ssd), "on the ssd servers: " + ssd);
                Map<String, Object> any = only(nc, "$JS.API.STREAM.CREATE.ANY2", "{\"name\":\"ANY2\","
                        + "\"subjects\":[\"any2\"],\"num_replicas\":2}");
                assertEquals(null, any.get("error"), "R2 in two zones: " + any);
                assertTrue(servers(any).contains("B"), "az:2 has only B, so B holds one of two distinct zones: " + any);
                ours = refusals(nc);
            }
        }
        assertEquals("no suitable peers for placement, tags not matched ['ssd']", description(ours, "SSD3"));
        assertEquals("no suitable peers for placement, server tag not unique", description(ours, "ANY3"));
        assertEquals("no suitable peers for placement, tags not matched ['gpu']", description(ours, "GPU1"));
        assertEquals("no suitable peers for placement", description(ours, "ELSEWHERE"));

        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        assertEquals(goRefusals(), ours, "the same answers as a Go 2.9.10 cluster");
    }

    private static Set<String> servers(Map<String, Object> created) {
        Map<?, ?> cluster = (Map<?, ?>) created.get("cluster");
        assertNotNull(cluster, "a cluster block: " + created);
        Set<String> names = new TreeSet<>();
        names.add(String.valueOf(cluster.get("leader")));
        if (cluster.get("replicas") instanceof List<?> replicas) {
            replicas.forEach(r -> names.add(String.valueOf(((Map<?, ?>) r).get("name"))));
        }
        return names;
    }

    private static String description(Map<String, Object> answers, String stream) {
        return String.valueOf(((Map<?, ?>) answers.get(stream)).get("description"));
    }

    private static Map<String, Object> refusals(Connection nc) throws Exception {
        Map<String, Object> errors = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : REFUSED.entrySet()) {
            Map<String, Object> answer = only(nc, "$JS.API.STREAM.CREATE." + e.getKey(), e.getValue());
            Object error = answer.get("error");
            errors.put(e.getKey(), error instanceof Map<?, ?> m ? normalized(m) : answer);
        }
        return errors;
    }

    /** The error object with numbers as longs, for comparing ours and Go's. */
    private static Map<String, Object> normalized(Map<?, ?> m) {
        Map<String, Object> out = new java.util.TreeMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v instanceof Number n ? (Object) n.longValue() : v));
        return out;
    }

    private Map<String, Object> goRefusals() throws Exception {
        try (GoCluster3 go = GoCluster3.start(dir, n -> "server_tags: " + TAGS.get(n), n -> "unique_tag: \"az:\"");
             Connection nc = go.connect()) {
            return refusals(nc);
        }
    }

    private static Map<String, Object> only(Connection nc, String subject, String body) throws Exception {
        return SingleAnswer.of(nc, subject, body, WAIT);
    }
}
