package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three server processes and an R3 work-queue stream: a durable pull consumer takes and double-acks ({@code
 * ackSync}) every message while the stream leader's process is killed with SIGKILL and started again, twice. No
 * message whose ack was answered is delivered again, every message is acknowledged in the end, and each replica,
 * made leader in turn, holds none of them (the removals reached every replica).
 */
@Tag("slow")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConsumerKillTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int COUNT = 1500;

    @TempDir
    Path dir;

    @Test
    void killingTheLeaderRedeliversNoAcknowledgedMessage() throws Exception {
        try (JsProcesses3 cluster = new JsProcesses3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader();
            Set<Long> acked = new ConcurrentSkipListSet<>();
            Set<Long> violations = new ConcurrentSkipListSet<>();
            // Acks sent whose reply did not come (the leader died meanwhile): they may or may not have taken effect.
            Set<Long> uncertain = new ConcurrentSkipListSet<>();
            AtomicInteger redelivered = new AtomicInteger();
            AtomicBoolean consuming = new AtomicBoolean(true);
            try (Connection nc = cluster.connect()) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name("WQ").subjects("wq").replicas(3)
                        .retentionPolicy(RetentionPolicy.WorkQueue).storageType(StorageType.File).build());
                JetStream js = nc.jetStream();
                for (int i = 1; i <= COUNT; i++) {
                    assertEquals(i, publish(js, i), "sequence of message " + i);
                }
                long total = jsm.getStreamInfo("WQ").getStreamState().getMsgCount();
                assertEquals(COUNT, total, "every message stored");
                jsm.addOrUpdateConsumer("WQ", ConsumerConfiguration.builder().durable("c")
                        .ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofSeconds(2)).build());
                Thread consumer = Thread.ofPlatform().start(() -> consume(nc, acked, uncertain, violations, redelivered,
                        consuming));
                for (int round = 0; round < 2; round++) {
                    Thread.sleep(1500);
                    String leader = StreamLeaders.await(jsm, "WQ", WAIT);
                    cluster.kill(leader);
                    int before = acked.size();
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (acked.size() < Math.min(total, before + 50) && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    assertTrue(acked.size() >= Math.min(total, before + 50), "consuming resumed after killing " + leader);
                    cluster.launch(leader);
                }
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!finished(jsm, acked, uncertain, total) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                consuming.set(false);
                consumer.join(WAIT.toMillis());
                System.out.println("ConsumerKillTest: " + acked.size() + " of " + total + " acknowledged across two "
                        + "leader kills, " + uncertain.size() + " acks unanswered; " + redelivered.get()
                        + " redeliveries of messages not known acknowledged");
                assertEquals(Set.of(), violations, "messages delivered again after their ackSync was answered");
                for (long seq = 1; seq <= total; seq++) {
                    assertTrue(acked.contains(seq) || uncertain.contains(seq), "message " + seq + " acknowledged");
                }
                var info = jsm.getConsumerInfo("WQ", "c");
                assertEquals(0, info.getNumPending() + info.getNumAckPending(), "nothing left for the consumer");
                for (String n : JsCluster3.NAMES) {
                    StreamLeaders.make(nc, jsm, "WQ", n, WAIT);
                    assertEquals(0, jsm.getStreamInfo("WQ").getStreamState().getMsgCount(),
                            "no acknowledged work-queue message left on " + n);
                }
            }
        }
    }

    /**
     * Publishes message {@code i} with its id, again until acknowledged: under load a leader may lose its quorum for
     * a moment with the test's 1 s election timeout, and the id keeps a retried message from being stored twice.
     */
    private static long publish(JetStream js, int i) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return js.publish("wq", ("m" + i).getBytes(StandardCharsets.UTF_8), PublishOptions.builder()
                        .messageId("m" + i).streamTimeout(Duration.ofSeconds(2)).build()).getSeqno();
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** Every message acknowledged (or its ack unanswered) and the consumer has nothing left. */
    private static boolean finished(JetStreamManagement jsm, Set<Long> acked, Set<Long> uncertain, long total) {
        for (long seq = 1; seq <= total; seq++) {
            if (!acked.contains(seq) && !uncertain.contains(seq)) {
                return false;
            }
        }
        try {
            var info = jsm.getConsumerInfo("WQ", "c");
            return info.getNumPending() == 0 && info.getNumAckPending() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static void consume(Connection nc, Set<Long> acked, Set<Long> uncertain, Set<Long> violations,
                                AtomicInteger redelivered, AtomicBoolean consuming) {
        JetStreamSubscription sub = null;
        while (consuming.get()) {
            try {
                if (sub == null) {
                    sub = nc.jetStream().subscribe(null, PullSubscribeOptions.bind("WQ", "c"));
                }
                List<Message> batch = sub.fetch(10, Duration.ofSeconds(1));
                for (Message m : batch) {
                    long seq = m.metaData().streamSequence();
                    if (acked.contains(seq)) {
                        violations.add(seq);
                    }
                    if (m.metaData().deliveredCount() > 1) {
                        redelivered.incrementAndGet();
                    }
                    try {
                        m.ackSync(Duration.ofSeconds(2));
                    } catch (Exception e) {
                        uncertain.add(seq);
                        throw e;
                    }
                    uncertain.remove(seq);
                    acked.add(seq);
                    Thread.sleep(2);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // The leader went away: no reply to the ack (not counted) or the fetch; go on.
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}
