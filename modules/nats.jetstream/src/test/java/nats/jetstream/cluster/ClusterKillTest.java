package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three server processes; while a client publishes without pause, the stream leader's process is killed with
 * SIGKILL and started again, twice. Afterwards each of the three replicas, made leader in turn, holds every
 * acknowledged message exactly once at its acknowledged sequence.
 */
@Tag("slow")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterKillTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void killingTheLeaderLosesNoAcknowledgedMessage() throws Exception {
        try (JsProcesses3 cluster = new JsProcesses3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader();
            Map<Long, String> acked = new ConcurrentSkipListMap<>();
            AtomicBoolean publishing = new AtomicBoolean(true);
            try (Connection nc = cluster.connect()) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name("K").subjects("k").replicas(3)
                        .storageType(StorageType.File).build());
                Thread publisher = Thread.ofPlatform().start(() -> publish(nc, acked, publishing));
                for (int round = 0; round < 2; round++) {
                    Thread.sleep(2000);
                    String leader = StreamLeaders.await(jsm, "K", WAIT);
                    cluster.kill(leader);
                    int before = acked.size();
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (acked.size() < before + 20 && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    assertTrue(acked.size() >= before + 20, "publishing resumed after killing " + leader);
                    cluster.launch(leader);
                }
                Thread.sleep(2000);
                publishing.set(false);
                publisher.join(WAIT.toMillis());
                assertTrue(acked.size() > 100, "messages were acknowledged: " + acked.size());
                System.out.println("ClusterKillTest: " + acked.size() + " messages acknowledged across two leader kills");
                for (String n : JsCluster3.NAMES) {
                    StreamLeaders.make(nc, jsm, "K", n, WAIT);
                    assertEquals(acked.size(), jsm.getStreamInfo("K").getStreamState().getMsgCount(),
                            "exactly the acknowledged messages on " + n);
                    for (Map.Entry<Long, String> e : acked.entrySet()) {
                        assertEquals(e.getValue(), readOn(nc, jsm, n, e.getKey()), "sequence " + e.getKey() + " on " + n);
                    }
                }
            }
        }
    }

    private static void publish(Connection nc, Map<Long, String> acked, AtomicBoolean publishing) {
        io.nats.client.JetStream js;
        try {
            js = nc.jetStream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (int i = 0; publishing.get(); i++) {
            String body = "k-" + i;
            while (publishing.get()) {
                try {
                    PublishAck ack = js.publish("k", body.getBytes(StandardCharsets.UTF_8), PublishOptions.builder()
                            .messageId(body).streamTimeout(Duration.ofSeconds(2)).build());
                    String before = acked.putIfAbsent(ack.getSeqno(), body);
                    if (before != null && !before.equals(body)) {
                        throw new AssertionError("sequence " + ack.getSeqno() + " acked for " + before + " and " + body);
                    }
                    break;
                } catch (Exception e) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * The message at {@code seq} as replica {@code name} has it: read while it leads (on a 2-core machine under load
     * a leader may lose its quorum for a moment; it is then made leader again).
     */
    private String readOn(Connection nc, JetStreamManagement jsm, String name, long seq) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                String body = new String(jsm.getMessage("K", seq).getData(), StandardCharsets.UTF_8);
                if (name.equals(StreamLeaders.leaderOrEmpty(jsm, "K"))) {
                    return body;
                }
            } catch (IOException | io.nats.client.JetStreamApiException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            StreamLeaders.make(nc, jsm, "K", name, WAIT);
        }
    }
}
