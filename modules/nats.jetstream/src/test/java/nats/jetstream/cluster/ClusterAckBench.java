package nats.jetstream.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ack rates of a durable pull consumer on a three-server in-process cluster, R1 and R3 file streams: double acks
 * ({@code ackSync}, each answered once the consumer's state is committed) one after the other, and plain acks
 * (until the consumer shows none pending). Prints the figures; run with {@code -Dgroups=bench
 * -Dtest=ClusterAckBench}.
 */
@Tag("bench")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterAckBench {

    private static final int COUNT = 3_000;

    @TempDir
    Path dir;

    @Test
    void ackRates() throws Exception {
        JsCluster3.run(dir, name -> "", "A", nc -> {
            JetStreamManagement jsm = nc.jetStreamManagement();
            JetStream js = nc.jetStream();
            for (int replicas : new int[] {1, 3}) {
                String name = "A" + replicas;
                jsm.addStream(StreamConfiguration.builder().name(name).subjects(name).replicas(replicas)
                        .storageType(StorageType.File).build());
                List<CompletableFuture<PublishAck>> window = new ArrayList<>();
                for (int i = 0; i < 2 * COUNT; i++) {
                    window.add(js.publishAsync(name, new byte[128]));
                    if (window.size() == 500) {
                        for (CompletableFuture<PublishAck> f : window) {
                            f.get(10, TimeUnit.SECONDS);
                        }
                        window.clear();
                    }
                }
                for (CompletableFuture<PublishAck> f : window) {
                    f.get(10, TimeUnit.SECONDS);
                }
                jsm.addOrUpdateConsumer(name, ConsumerConfiguration.builder().durable("c")
                        .ackPolicy(AckPolicy.Explicit).build());
                JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind(name, "c"));
                long t0 = System.nanoTime();
                int n = 0;
                while (n < COUNT) {
                    for (Message m : sub.fetch(100, Duration.ofSeconds(2))) {
                        m.ackSync(Duration.ofSeconds(5));
                        n++;
                    }
                }
                double syncRate = n / ((System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                n = 0;
                while (n < COUNT) {
                    for (Message m : sub.fetch(100, Duration.ofSeconds(2))) {
                        m.ack();
                        n++;
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (jsm.getConsumerInfo(name, "c").getNumAckPending() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                double plainRate = n / ((System.nanoTime() - t0) / 1e9);
                System.out.printf("R%d file: ackSync %.0f acks/s (%.2f ms each), plain ack %.0f acks/s%n",
                        replicas, syncRate, 1000 / syncRate, plainRate);
            }
            return null;
        });
    }

    /**
     * Acks while many deliveries are pending: 1,000 fetched, then each acknowledged with {@code ackSync}, one after
     * the other (each answered once its state change is committed), on an R3 file stream; prints the rate and the
     * bytes the stream group's files grew by per ack on the leader.
     */
    @Test
    void ackSyncWithManyPending() throws Exception {
        JsCluster3.run(dir, name -> "", "A", nc -> {
            JetStreamManagement jsm = nc.jetStreamManagement();
            JetStream js = nc.jetStream();
            jsm.addStream(StreamConfiguration.builder().name("P").subjects("P").replicas(3)
                    .storageType(StorageType.File).build());
            List<CompletableFuture<PublishAck>> sent = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                sent.add(js.publishAsync("P", new byte[128]));
            }
            for (CompletableFuture<PublishAck> f : sent) {
                f.get(10, TimeUnit.SECONDS);
            }
            jsm.addOrUpdateConsumer("P", ConsumerConfiguration.builder().durable("c")
                    .ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofMinutes(2)).build());
            JetStreamSubscription sub = js.subscribe(null, PullSubscribeOptions.bind("P", "c"));
            List<Message> pending = new ArrayList<>();
            while (pending.size() < 1_000) {
                pending.addAll(sub.fetch(1_000 - pending.size(), Duration.ofSeconds(2)));
            }
            String leader = jsm.getStreamInfo("P").getClusterInfo().getLeader();
            Thread.sleep(500);
            long before = groupBytes(dir.resolve(leader));
            long t0 = System.nanoTime();
            for (Message m : pending) {
                m.ackSync(Duration.ofSeconds(5));
            }
            double rate = pending.size() / ((System.nanoTime() - t0) / 1e9);
            long grown = groupBytes(dir.resolve(leader)) - before;
            System.out.printf("R3 file, 1,000 pending: ackSync %.0f acks/s (%.2f ms each), group files +%d bytes"
                    + " (%d per ack)%n", rate, 1000 / rate, grown, grown / pending.size());
            return null;
        });
    }

    private static long groupBytes(Path server) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(server)) {
            return files.filter(p -> p.toString().contains("S-R3F-") && java.nio.file.Files.isRegularFile(p))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
