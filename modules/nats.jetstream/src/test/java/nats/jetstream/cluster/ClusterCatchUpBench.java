package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catch-up speed: a follower is stopped, {@code catchup.mb} MiB (default 256) of {@code catchup.size}-byte messages (default 16 KiB) are published to
 * an R3 file stream and the group compacts its log, then the follower is started again; measured from its start
 * until its {@code /jsz} counts every message and byte. Run with
 * {@code -Dtest=ClusterCatchUpBench -Dtest.excludedGroups=none -Dgroups=bench -Dcatchup.mb=1024}.
 */
@Tag("bench")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ClusterCatchUpBench {

    private static final String PROPERTY = "nats.jetstream.cluster.stream_snapshot_entries";
    private static final int SIZE = Integer.getInteger("catchup.size", 16 * 1024);

    @TempDir
    Path dir;

    @BeforeEach
    void snapshotOften() {
        System.setProperty(PROPERTY, "1000");
    }

    @AfterEach
    void snapshotDefault() {
        System.clearProperty(PROPERTY);
    }

    @Test
    void followerCatchUp() throws Exception {
        long mib = Long.getLong("catchup.mb", 256);
        int count = (int) (mib * 1024 * 1024 / SIZE);
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader(Duration.ofSeconds(30));
            String follower;
            try (Connection nc = cluster.connect("A")) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name("BIG").subjects("big").replicas(3)
                        .storageType(StorageType.File).build());
                String leader = jsm.getStreamInfo("BIG").getClusterInfo().getLeader();
                follower = JsCluster3.NAMES.stream().filter(n -> !n.equals(leader) && !n.equals("A")).findFirst()
                        .orElseThrow();
                cluster.stop(follower);
                JetStream js = nc.jetStream();
                byte[] body = new byte[SIZE];
                ArrayDeque<CompletableFuture<PublishAck>> window = new ArrayDeque<>();
                long p0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    body[i % SIZE] = (byte) i;
                    window.add(js.publishAsync("big", body));
                    if (window.size() >= 64) {
                        window.poll().get(30, TimeUnit.SECONDS);
                    }
                }
                while (!window.isEmpty()) {
                    window.poll().get(30, TimeUnit.SECONDS);
                }
                double ps = (System.nanoTime() - p0) / 1e9;
                System.out.printf("published %d x %d B (%d MiB) in %.1f s (%.1f MB/s)%n", count, SIZE, mib, ps,
                        mib * 1.048576 / ps);
            }
            long t0 = System.nanoTime();
            cluster.start(follower);
            long messages = -1;
            int reportedCurrentWhileBehind = 0;
            int behindSamples = 0;
            try (Connection nc = cluster.connect("A")) {
                while (System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(10)) {
                    Map<String, Object> jsz = cluster.jsz(follower);
                    messages = ((Number) jsz.getOrDefault("messages", 0)).longValue();
                    if (messages == count) {
                        break;
                    }
                    // What the leader says of the follower meanwhile (stream info's cluster.replicas).
                    var info = nc.request("$JS.API.STREAM.INFO.BIG", new byte[0], Duration.ofSeconds(2));
                    var parsed = nats.transport.json.Json.parseObject(new String(info.getData(),
                            java.nio.charset.StandardCharsets.UTF_8));
                    if (parsed.get("cluster") instanceof Map<?, ?> c && c.get("replicas") instanceof java.util.List<?> l) {
                        for (Object o : l) {
                            if (o instanceof Map<?, ?> r && follower.equals(r.get("name"))) {
                                behindSamples++;
                                if (Boolean.TRUE.equals(r.get("current"))
                                        && ((Number) cluster.jsz(follower).getOrDefault("messages", 0)).longValue()
                                        < count) {
                                    reportedCurrentWhileBehind++;
                                }
                            }
                        }
                    }
                    Thread.sleep(100);
                }
            }
            System.out.printf("while behind: %d samples of the leader's stream info, %d said current%n",
                    behindSamples, reportedCurrentWhileBehind);
            double s = (System.nanoTime() - t0) / 1e9;
            assertEquals(count, messages, "messages on the restarted follower");
            System.out.printf("follower %s caught up %d MiB (%d messages) in %.1f s from its start: %.1f MB/s%n",
                    follower, mib, count, s, mib * 1.048576 / s);
        }
    }
}
