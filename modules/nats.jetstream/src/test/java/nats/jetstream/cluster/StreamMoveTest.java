package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamInfo;
import nats.testing.GoServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream update that changes {@code placement} moves the stream (Go 2.9.10's stream move): an R1 stream placed
 * by tag on A moves to B when its placement names B's tag; it keeps its messages and takes publishes there. A move
 * together with a new {@code num_replicas} (10123) and a placement nobody matches (10005) are refused. The same
 * requests on three Go 2.9.10 servers give the same answers and end the same.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class StreamMoveTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Map<String, String> TAGS = Map.of("A", "[\"az:1\"]", "B", "[\"az:2\"]", "C", "[\"az:3\"]");

    @TempDir
    Path dir;

    @Test
    void aPlacementChangeMovesTheStreamAsGo() throws Exception {
        Map<String, Object> ours = JsCluster3.run(dir, n -> "server_tags: " + TAGS.get(n), "C",
                StreamMoveTest::scenario);
        assertEquals("B", ours.get("leader_after"), "moved to B: " + ours);
        assertEquals(50L, ours.get("messages_after"), "with its messages: " + ours);
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        assertEquals(GoCluster3.run(dir, n -> "server_tags: " + TAGS.get(n), StreamMoveTest::scenario), ours,
                "the same answers and outcome as a Go 2.9.10 cluster");
    }

    private static String config(String tag, int replicas) {
        return "{\"name\":\"MV\",\"subjects\":[\"mv.>\"],\"num_replicas\":" + replicas + ",\"placement\":{\"tags\":[\""
                + tag + "\"]}}";
    }

    private static Map<String, Object> scenario(Connection nc) throws Exception {
        Map<String, Object> seen = new LinkedHashMap<>();
        JetStreamManagement jsm = nc.jetStreamManagement();
        Map<String, Object> created = SingleAnswer.of(nc, "$JS.API.STREAM.CREATE.MV", config("az:1", 1), WAIT);
        seen.put("created_on", ((Map<?, ?>) created.get("cluster")).get("leader"));
        for (int i = 1; i <= 50; i++) {
            nc.jetStream().publish("mv.x", ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        seen.put("move_and_scale", SingleAnswer.error(SingleAnswer.of(nc, "$JS.API.STREAM.UPDATE.MV", config("az:2", 3), WAIT)));
        seen.put("move_nowhere", SingleAnswer.error(SingleAnswer.of(nc, "$JS.API.STREAM.UPDATE.MV", config("gpu", 1), WAIT)));
        Map<String, Object> moved = SingleAnswer.of(nc, "$JS.API.STREAM.UPDATE.MV", config("az:2", 1), WAIT);
        seen.put("move", moved.get("error") == null ? "ok" : moved.get("error"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        StreamInfo si = null;
        while (System.nanoTime() < deadline) {
            try {
                si = jsm.getStreamInfo("MV");
                if ("B".equals(si.getClusterInfo().getLeader()) && (si.getClusterInfo().getReplicas() == null
                        || si.getClusterInfo().getReplicas().isEmpty())) {
                    break;
                }
            } catch (Exception e) {
                // no leader for a moment
            }
            Thread.sleep(200);
        }
        seen.put("leader_after", si == null ? null : si.getClusterInfo().getLeader());
        seen.put("replicas_after", si == null || si.getClusterInfo().getReplicas() == null ? 0
                : si.getClusterInfo().getReplicas().size());
        seen.put("messages_after", si == null ? null : si.getStreamState().getMsgCount());
        seen.put("placement_after", si == null ? null : si.getConfiguration().getPlacement().getTags());
        seen.put("message_50", new String(jsm.getMessage("MV", 50).getData(), StandardCharsets.UTF_8));
        seen.put("next_seq", nc.jetStream().publish("mv.x", "m51".getBytes(StandardCharsets.UTF_8)).getSeqno());
        return seen;
    }

}
