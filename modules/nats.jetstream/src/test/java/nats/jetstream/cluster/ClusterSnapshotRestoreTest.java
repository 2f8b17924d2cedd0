package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamState;
import nats.testing.GoServer;
import nats.transport.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code STREAM.SNAPSHOT} and {@code STREAM.RESTORE} of an R3 stream on three servers, driven with raw requests as
 * the nats CLI drives them: the snapshot comes from the stream's leader; the restore is taken by the meta leader,
 * which creates the group, whose leader answers with the deliver subject, takes the chunks and answers the last
 * one with the restored stream. The restored stream (messages, an interior delete, a durable consumer with its acks)
 * is held by every replica, and the same scenario on three Go 2.9.10 servers gives the same answers and state.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterSnapshotRestoreTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void anR3StreamIsSnapshotAndRestoredOnEveryReplicaAsGo() throws Exception {
        Map<String, Object> ours = JsCluster3.run(dir, n -> "", "A", nc -> {
            Map<String, Object> seen = scenario(nc);
            JetStreamManagement jsm = nc.jetStreamManagement();
            assertEquals(79, jsm.getConsumerInfo("BK", "D").getNumPending(), "the consumer's pending after the restore");
            ReplicaContents.awaitCurrent(jsm, "BK", WAIT);
            ReplicaContents.check(nc, jsm, "BK", JsCluster3.NAMES, expectedMessages(), WAIT);
            // The restored stream takes publishes again, on the next sequence.
            assertEquals(101, nc.jetStream().publish("bk.after", bytes("after")).getSeqno());
            return seen;
        });
        assertEquals(99L, ((Map<?, ?>) ours.get("state")).get("messages"), "restored: " + ours);
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        assertEquals(GoCluster3.run(dir, n -> "", ClusterSnapshotRestoreTest::scenario), ours,
                "the same answers and state as a Go 2.9.10 cluster");
    }

    /** Sequence to payload of what the restored stream holds: 1..100 but 10. */
    private static Map<Long, String> expectedMessages() {
        Map<Long, String> m = new TreeMap<>();
        for (long s = 1; s <= 100; s++) {
            if (s != 10) {
                m.put(s, "m-" + s);
            }
        }
        return m;
    }

    /** The scenario on one cluster; what it saw, comparable across servers (no times, ids or names). */
    private static Map<String, Object> scenario(Connection nc) throws Exception {
        JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name("BK").subjects("bk.>").replicas(3)
                .storageType(StorageType.File).build());
        var js = nc.jetStream();
        for (int i = 1; i <= 100; i++) {
            js.publish("bk." + (i % 4), bytes("m-" + i));
        }
        jsm.deleteMessage("BK", 10);
        jsm.addOrUpdateConsumer("BK", ConsumerConfiguration.builder().durable("D").ackPolicy(AckPolicy.Explicit)
                .build());
        var sub = js.subscribe(null, io.nats.client.PullSubscribeOptions.bind("BK", "D"));
        List<Message> got = sub.fetch(20, Duration.ofSeconds(5));
        assertEquals(20, got.size(), "fetched");
        for (int i = 0; i < 15; i++) {
            got.get(i).ackSync(Duration.ofSeconds(5));
        }
        sub.unsubscribe();

        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("snapshot_empty", SingleAnswer.error(SingleAnswer.of(nc, "$JS.API.STREAM.SNAPSHOT.BK", "", WAIT)));
        seen.put("snapshot_bad_subject", SingleAnswer.error(SingleAnswer.of(nc, "$JS.API.STREAM.SNAPSHOT.BK",
                "{\"deliver_subject\":\"a b\"}", WAIT)));
        seen.put("snapshot_unknown_answered", nc.request("$JS.API.STREAM.SNAPSHOT.NONE",
                bytes("{\"deliver_subject\":\"x\"}"), Duration.ofSeconds(2)) != null);

        Subscription chunks = nc.subscribe("bk.snapshot");
        Map<String, Object> accepted = SingleAnswer.of(nc, "$JS.API.STREAM.SNAPSHOT.BK",
                "{\"deliver_subject\":\"bk.snapshot\",\"chunk_size\":2048}", WAIT);
        assertNull(accepted.get("error"), "snapshot accepted: " + accepted);
        seen.put("snapshot_state", stateOf(accepted.get("state")));
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (true) {
            Message chunk = chunks.nextMessage(WAIT);
            assertNotNull(chunk, "chunks keep coming until the empty one");
            if (chunk.getData().length == 0) {
                break;
            }
            data.write(chunk.getData());
            nc.publish(chunk.getReplyTo(), new byte[0]);
        }
        chunks.unsubscribe();
        String config = nats.transport.json.GoJson.compact(accepted.get("config"));

        String restoreBody = "{\"config\":" + config + ",\"state\":" + nats.transport.json.GoJson.compact(accepted.get("state")) + "}";
        seen.put("restore_empty", SingleAnswer.error(SingleAnswer.of(nc, "$JS.API.STREAM.RESTORE.BK", "", WAIT)));
        seen.put("restore_bad_json", SingleAnswer.error(SingleAnswer.of(nc, "$JS.API.STREAM.RESTORE.BK", "{x", WAIT)));
        seen.put("restore_existing", SingleAnswer.error(SingleAnswer.of(nc, "$JS.API.STREAM.RESTORE.BK", restoreBody, WAIT)));

        assertTrue(jsm.deleteStream("BK"), "deleted before the restore");
        Map<String, Object> started = SingleAnswer.of(nc, "$JS.API.STREAM.RESTORE.BK", restoreBody, WAIT);
        assertNull(started.get("error"), "restore accepted: " + started);
        String deliver = (String) started.get("deliver_subject");
        seen.put("restore_started", started.keySet());
        byte[] all = data.toByteArray();
        for (int off = 0; off < all.length; off += 4096) {
            nc.request(deliver, java.util.Arrays.copyOfRange(all, off, Math.min(all.length, off + 4096)), WAIT);
        }
        Message last = nc.request(deliver, new byte[0], Duration.ofSeconds(30));
        assertNotNull(last, "the last chunk is answered");
        Map<String, Object> done = Json.parseObject(new String(last.getData(), StandardCharsets.UTF_8));
        assertNull(done.get("error"), "restored: " + done);
        seen.put("restore_done_type", done.get("type"));
        seen.put("restore_done_state", stateOf(done.get("state")));

        StreamState state = awaitInfo(jsm);
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("messages", state.getMsgCount());
        st.put("first", state.getFirstSequence());
        st.put("last", state.getLastSequence());
        st.put("deleted", state.getDeletedCount());
        seen.put("state", st);
        seen.put("message_50", new String(jsm.getMessage("BK", 50).getData(), StandardCharsets.UTF_8));
        ConsumerInfo ci = awaitConsumer(jsm);
        // num_pending left out: Go 2.9.10 answered 79 in one run and 0 in another right after its restore.
        seen.put("consumer", List.of(ci.getNumAckPending(), ci.getAckFloor().getStreamSequence(),
                ci.getDelivered().getStreamSequence()));
        return seen;
    }

    /** The restored consumer's info: Go assigns a restored stream's consumers after the restore's answer. */
    private static ConsumerInfo awaitConsumer(JetStreamManagement jsm) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return jsm.getConsumerInfo("BK", "D");
            } catch (java.io.IOException | io.nats.client.JetStreamApiException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(200);
        }
    }

    /** The restored stream's info once its leader answers (Go's followers catch up just after the restore). */
    private static StreamState awaitInfo(JetStreamManagement jsm) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                var si = jsm.getStreamInfo("BK");
                if (si.getStreamState().getMsgCount() == 99 || System.nanoTime() > deadline) {
                    return si.getStreamState();
                }
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(200);
        }
    }

    /** A state's counts and sequences (no times). */
    private static Map<String, Object> stateOf(Object state) {
        Map<String, Object> out = new TreeMap<>();
        if (state instanceof Map<?, ?> m) {
            for (String k : List.of("messages", "bytes", "first_seq", "last_seq", "num_deleted", "consumer_count")) {
                Object v = m.get(k);
                out.put(k, v instanceof Number n ? (Object) n.longValue() : v);
            }
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

}
