package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import nats.jetstream.testing.JsonNormalizer;
import nats.transport.json.GoJson;
import nats.transport.json.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * STREAM.INFO of a clustered R3 mirror and an R3 sourcing stream (both caught up with an R3 origin) against a
 * three-server Go 2.9.10 cluster: the same members in the same order, and the same {@code mirror} and
 * {@code sources} blocks (the time since the origin was last heard from aside), and the block of a mirror whose
 * origin does not exist; a mirror whose filter is outside the origin's subjects is refused alike.
 */
@Tag("slow")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusteredMirrorDifferentialTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonNormalizer NORMALIZER = new JsonNormalizer("active", "cluster");

    @TempDir
    Path dir;

    @Test
    void mirrorAndSourcesInfoAsGo() throws Exception {
        GoCluster3.assertPartsAsGo(dir, ClusteredMirrorDifferentialTest::scenario);
    }

    /** Creates the streams, publishes, waits for both followers to catch up; returns the parts compared. */
    private static Map<String, String> scenario(Connection nc) throws Exception {
        create(nc, "ORIG", "{\"name\":\"ORIG\",\"subjects\":[\"o.>\"],\"num_replicas\":3}");
        create(nc, "MIR", "{\"name\":\"MIR\",\"mirror\":{\"name\":\"ORIG\"},\"num_replicas\":3}");
        create(nc, "AGG", "{\"name\":\"AGG\",\"sources\":[{\"name\":\"ORIG\",\"filter_subject\":\"o.a\"}],"
                + "\"num_replicas\":3}");
        create(nc, "LMIR", "{\"name\":\"LMIR\",\"mirror\":{\"name\":\"NOPE\"},\"num_replicas\":3}");
        for (int i = 0; i < 10; i++) {
            Message ack = nc.request("o." + (i % 2 == 0 ? "a" : "b"), ("m" + i).getBytes(StandardCharsets.UTF_8), WAIT);
            assertTrue(new String(ack.getData(), StandardCharsets.UTF_8).contains("\"seq\""), "publish acknowledged");
        }
        Map<String, Object> mir = awaitMessages(nc, "MIR", 10);
        Map<String, Object> agg = awaitMessages(nc, "AGG", 5);
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("mirror info members", String.valueOf(mir.keySet()));
        parts.put("sources info members", String.valueOf(agg.keySet()));
        parts.put("mirror block", NORMALIZER.normalize(GoJson.compact(mir.get("mirror"))));
        parts.put("sources block", NORMALIZER.normalize(GoJson.compact(agg.get("sources"))));
        parts.put("mirror config", NORMALIZER.normalize(GoJson.compact(mir.get("config"))));
        parts.put("mirror state", NORMALIZER.normalize(GoJson.compact(mir.get("state"))));
        // A mirror whose origin does not exist: its info says why it does not follow.
        Message r = nc.request("$JS.API.STREAM.INFO.LMIR", new byte[0], WAIT);
        Map<String, Object> lmir = Json.parseObject(new String(r.getData(), StandardCharsets.UTF_8));
        // Checked against the origin's assignment, wherever it is placed.
        Message bad = nc.request("$JS.API.STREAM.CREATE.BADMIR", ("{\"name\":\"BADMIR\",\"mirror\":{\"name\":\"ORIG\","
                + "\"filter_subject\":\"zzz\"},\"num_replicas\":3}").getBytes(StandardCharsets.UTF_8), WAIT);
        parts.put("mirror filter outside the origin", new String(bad.getData(), StandardCharsets.UTF_8));
        parts.put("missing origin mirror block", NORMALIZER.normalize(GoJson.compact(lmir.get("mirror"))));
        return parts;
    }

    private static void create(Connection nc, String name, String config) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Message r = null;
            try {
                r = nc.request("$JS.API.STREAM.CREATE." + name, config.getBytes(StandardCharsets.UTF_8),
                        Duration.ofSeconds(5));
            } catch (Exception e) {
                last = e.toString();
            }
            if (r != null) {
                last = new String(r.getData(), StandardCharsets.UTF_8);
                if (!Json.parseObject(last).containsKey("error")) {
                    return;
                }
            }
            Thread.sleep(250); // the meta group has no leader yet
        }
        throw new AssertionError("create of " + name + " failed: " + last);
    }

    private static Map<String, Object> awaitMessages(Connection nc, String stream, long count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, Object> info = Map.of();
        while (System.nanoTime() < deadline) {
            Message r = nc.request("$JS.API.STREAM.INFO." + stream, new byte[0], Duration.ofSeconds(5));
            info = Json.parseObject(new String(r.getData(), StandardCharsets.UTF_8));
            if (info.get("state") instanceof Map<?, ?> s && ((Number) s.get("messages")).longValue() == count
                    && (info.get("mirror") instanceof Map<?, ?> || info.get("sources") instanceof List<?>)) {
                Thread.sleep(1200); // a heartbeat later: lag settled
                r = nc.request("$JS.API.STREAM.INFO." + stream, new byte[0], Duration.ofSeconds(5));
                return Json.parseObject(new String(r.getData(), StandardCharsets.UTF_8));
            }
            Thread.sleep(200);
        }
        throw new AssertionError(stream + " did not reach " + count + " messages: " + info);
    }
}
