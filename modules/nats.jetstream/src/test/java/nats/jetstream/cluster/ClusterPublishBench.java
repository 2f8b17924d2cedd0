package nats.jetstream.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publish rates on a three-server in-process cluster: R1 and R3 file streams, one synchronous publisher and one
 * asynchronous publisher (a window of 1,000 acks in flight), 128-byte messages. Prints the figures; run with
 * {@code -Dgroups=bench -Dtest=ClusterPublishBench}.
 */
@Tag("bench")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterPublishBench {

    @TempDir
    Path dir;

    @Test
    void publishRates() throws Exception {
        try (JsCluster3 cluster = new JsCluster3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader(Duration.ofSeconds(20));
            try (Connection nc = cluster.connect("A")) {
                for (int replicas : new int[] {1, 3}) {
                    String name = "B" + replicas;
                    nc.jetStreamManagement().addStream(StreamConfiguration.builder().name(name).subjects(name + ".>")
                            .replicas(replicas).storageType(StorageType.File).build());
                    JetStream js = nc.jetStream();
                    byte[] body = new byte[128];
                    js.publish(name + ".warm", body);
                    int syncCount = 2_000;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < syncCount; i++) {
                        js.publish(name + ".s", body);
                    }
                    double syncRate = syncCount / ((System.nanoTime() - t0) / 1e9);
                    int asyncCount = 20_000;
                    t0 = System.nanoTime();
                    List<CompletableFuture<PublishAck>> window = new ArrayList<>();
                    for (int i = 0; i < asyncCount; i++) {
                        window.add(js.publishAsync(name + ".a", body));
                        if (window.size() == 1_000) {
                            for (CompletableFuture<PublishAck> f : window) {
                                f.get(10, TimeUnit.SECONDS);
                            }
                            window.clear();
                        }
                    }
                    for (CompletableFuture<PublishAck> f : window) {
                        f.get(10, TimeUnit.SECONDS);
                    }
                    double asyncRate = asyncCount / ((System.nanoTime() - t0) / 1e9);
                    System.out.printf("R%d file: sync %.0f msgs/s, async %.0f msgs/s%n", replicas, syncRate, asyncRate);
                }
            }
        }
    }
}
