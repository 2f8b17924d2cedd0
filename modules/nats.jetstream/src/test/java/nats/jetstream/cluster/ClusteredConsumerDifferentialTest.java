package nats.jetstream.cluster;


import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import nats.jetstream.testing.JsonNormalizer;
import nats.transport.json.GoJson;
import nats.transport.json.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumers of an R3 stream on our three servers and on three Go 2.9.10 servers: the create answer and the info
 * of a durable pull consumer after some acks (config, delivered, ack floor, pending, and the {@code cluster} block's
 * shape: its name, a leader, the other replicas with the same members), the {@code CONSUMER.LEADER.STEPDOWN} answer
 * and the info on the next leader, and the answers for consumers with {@code num_replicas} 1 and 5 and with
 * {@code mem_storage}.
 */
@Tag("slow")
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ClusteredConsumerDifferentialTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonNormalizer NORMALIZER = new JsonNormalizer("active", "cluster");

    @TempDir
    Path dir;

    @Test
    void consumerAnswersAsGo() throws Exception {
        GoCluster3.assertPartsAsGo(dir, ClusteredConsumerDifferentialTest::scenario);
    }

    private static Map<String, String> scenario(Connection nc) throws Exception {
        Map<String, String> parts = new LinkedHashMap<>();
        retry(nc, "$JS.API.STREAM.CREATE.JOBS", "{\"name\":\"JOBS\",\"subjects\":[\"jobs.>\"],\"num_replicas\":3}");
        for (int i = 1; i <= 10; i++) {
            nc.request("jobs.x", ("j" + i).getBytes(StandardCharsets.UTF_8), WAIT);
        }
        String created = retry(nc, "$JS.API.CONSUMER.DURABLE.CREATE.JOBS.w",
                "{\"stream_name\":\"JOBS\",\"config\":{\"durable_name\":\"w\",\"ack_policy\":\"explicit\"}}");
        parts.put("create", normalize(created));
        // Five delivered, three acknowledged (1, 2, 4).
        Subscription inbox = nc.subscribe(nc.createInbox());
        nc.publish("$JS.API.CONSUMER.MSG.NEXT.JOBS.w", inbox.getSubject(),
                "{\"batch\":5}".getBytes(StandardCharsets.UTF_8));
        for (int i = 1; i <= 5; i++) {
            Message m = inbox.nextMessage(WAIT);
            if (i != 3 && i != 5) {
                nc.request(m.getReplyTo(), new byte[0], WAIT);
            }
        }
        parts.put("info after acks", normalize(awaitInfo(nc, "w")));
        parts.put("step-down", request(nc, "$JS.API.CONSUMER.LEADER.STEPDOWN.JOBS.w", ""));
        Thread.sleep(2_000);
        parts.put("info on the next leader", normalize(awaitInfo(nc, "w")));
        parts.put("R5 consumer on an R3 stream", request(nc, "$JS.API.CONSUMER.DURABLE.CREATE.JOBS.r5",
                "{\"stream_name\":\"JOBS\",\"config\":{\"durable_name\":\"r5\",\"ack_policy\":\"explicit\","
                        + "\"num_replicas\":5}}"));
        parts.put("R1 consumer", normalize(request(nc, "$JS.API.CONSUMER.DURABLE.CREATE.JOBS.r1",
                "{\"stream_name\":\"JOBS\",\"config\":{\"durable_name\":\"r1\",\"ack_policy\":\"explicit\","
                        + "\"num_replicas\":1}}")));
        parts.put("R3 consumer", normalize(request(nc, "$JS.API.CONSUMER.DURABLE.CREATE.JOBS.r3",
                "{\"stream_name\":\"JOBS\",\"config\":{\"durable_name\":\"r3\",\"ack_policy\":\"explicit\","
                        + "\"num_replicas\":3}}")));
        Map<String, Object> ephemeral = Json.parseObject(request(nc, "$JS.API.CONSUMER.CREATE.JOBS",
                "{\"stream_name\":\"JOBS\",\"config\":{\"ack_policy\":\"explicit\",\"deliver_subject\":\"e.x\"}}"));
        ephemeral.put("name", "<ephemeral>");
        parts.put("ephemeral consumer", normalize(GoJson.compact(ephemeral)));
        parts.put("memory consumer", normalize(request(nc, "$JS.API.CONSUMER.DURABLE.CREATE.JOBS.mem",
                "{\"stream_name\":\"JOBS\",\"config\":{\"durable_name\":\"mem\",\"ack_policy\":\"explicit\","
                        + "\"mem_storage\":true}}")));
        return parts;
    }

    /** The answer with its {@code cluster} block reduced to its shape (who leads is chosen at random). */
    private static String normalize(String answer) {
        Map<String, Object> m = Json.parseObject(answer);
        if (m.get("cluster") instanceof Map<?, ?> c) {
            Map<String, Object> shape = new LinkedHashMap<>();
            shape.put("name", c.get("name"));
            shape.put("leader", c.get("leader") == null ? "none" : "set");
            if (c.get("replicas") instanceof List<?> replicas) {
                List<Object> members = new ArrayList<>();
                for (Object r : replicas) {
                    // lag: a follower behind for a moment (Go's, when the create is answered).
                    members.add(String.valueOf(((Map<?, ?>) r).keySet().stream().filter(k -> !k.equals("lag"))
                            .toList()));
                }
                shape.put("replicas", members);
            }
            Map<String, Object> copy = new LinkedHashMap<>(m);
            copy.put("cluster", shape);
            m = copy;
        }
        return NORMALIZER.normalize(GoJson.compact(m));
    }

    private static String awaitInfo(Connection nc, String consumer) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = request(nc, "$JS.API.CONSUMER.INFO.JOBS." + consumer, "");
            Map<String, Object> m = Json.parseObject(last);
            // Settled: a leader, and every replica current (Go's followers report in after a moment).
            if (m.get("cluster") instanceof Map<?, ?> c && c.get("leader") != null
                    && c.get("replicas") instanceof List<?> l && l.size() == 2
                    && l.stream().allMatch(r -> Boolean.TRUE.equals(((Map<?, ?>) r).get("current")))) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("consumer " + consumer + " not settled: " + last);
    }

    private static String request(Connection nc, String subject, String body) throws Exception {
        Message r = nc.request(subject, body.getBytes(StandardCharsets.UTF_8), WAIT);
        return new String(r.getData(), StandardCharsets.UTF_8);
    }

    /** Asks until the answer carries no error (the meta group or the stream's group has no leader yet). */
    private static String retry(Connection nc, String subject, String body) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = request(nc, subject, body);
                if (!Json.parseObject(last).containsKey("error")) {
                    return last;
                }
            } catch (Exception e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError(subject + " failed: " + last);
    }
}
