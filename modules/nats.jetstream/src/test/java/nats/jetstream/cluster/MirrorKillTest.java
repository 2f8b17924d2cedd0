package nats.jetstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.Mirror;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An R3 mirror of an R3 origin in three server processes, its leader's process killed (SIGKILL) twice while the
 * origin is published to: the mirror ends with exactly the origin's messages at the origin's sequences on every
 * replica (each made leader in turn), with no gap and nothing twice.
 */
@Tag("slow")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MirrorKillTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void killingTheMirrorLeaderLeavesNoGapAndNoDuplicate() throws Exception {
        try (JsProcesses3 cluster = new JsProcesses3(dir)) {
            cluster.startAll();
            cluster.awaitMetaLeader();
            try (Connection nc = cluster.connect()) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name("O").subjects("o.*").replicas(3)
                        .storageType(StorageType.File).build());
                jsm.addStream(StreamConfiguration.builder().name("M").mirror(Mirror.builder().sourceName("O").build())
                        .replicas(3).storageType(StorageType.File).build());
                AtomicBoolean publishing = new AtomicBoolean(true);
                AtomicLong published = new AtomicLong();
                Thread publisher = Thread.ofPlatform().start(() -> publish(nc, publishing, published));
                for (int round = 0; round < 2; round++) {
                    Thread.sleep(1500);
                    String leader = StreamLeaders.await(jsm, "M", WAIT);
                    cluster.kill(leader);
                    long before = published.get();
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (published.get() < before + 20 && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    cluster.launch(leader);
                }
                Thread.sleep(1500);
                publishing.set(false);
                publisher.join(WAIT.toMillis());
                long last = awaitOriginLast(jsm);
                assertTrue(last > 100, "the origin took messages: " + last);
                for (String n : JsCluster3.NAMES) {
                    // A leader may lose its quorum for a moment on a loaded machine: read again until one pass ran
                    // wholly under n's leadership.
                    boolean read = false;
                    for (int attempt = 0; attempt < 3 && !read; attempt++) {
                        StreamLeaders.make(nc, jsm, "M", n, WAIT);
                        awaitMirrorLast(jsm, last);
                        assertEquals(jsm.getStreamInfo("O").getStreamState().getMsgCount(),
                                jsm.getStreamInfo("M").getStreamState().getMsgCount(), "mirror count on " + n);
                        for (long seq = 1; seq <= last; seq++) {
                            MessageInfo o = read(jsm, "O", seq);
                            MessageInfo m = read(jsm, "M", seq);
                            assertEquals(o.getSubject(), m.getSubject(), "subject at " + seq + " on " + n);
                            assertEquals(new String(o.getData(), StandardCharsets.UTF_8),
                                    new String(m.getData(), StandardCharsets.UTF_8), "data at " + seq + " on " + n);
                        }
                        read = n.equals(StreamLeaders.await(jsm, "M", WAIT));
                    }
                    assertTrue(read, "one pass over the mirror read while " + n + " led it");
                }
                System.out.println("MirrorKillTest: " + last + " origin messages mirrored across two mirror leader kills");
            }
        }
    }

    private static void publish(Connection nc, AtomicBoolean publishing, AtomicLong published) {
        JetStream js;
        try {
            js = nc.jetStream();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (int i = 0; publishing.get(); i++) {
            try {
                js.publish("o." + (i % 5), ("o-" + i).getBytes(StandardCharsets.UTF_8));
                published.incrementAndGet();
            } catch (Exception e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** A message, asked again while its stream has no leader for a moment (a loaded machine). */
    private static MessageInfo read(JetStreamManagement jsm, String stream, long seq) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return jsm.getMessage(stream, seq);
            } catch (io.nats.client.JetStreamApiException | java.io.IOException e) {
                if (System.nanoTime() > deadline || (e instanceof io.nats.client.JetStreamApiException a
                        && a.getApiErrorCode() != 10008)) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static long awaitOriginLast(JetStreamManagement jsm) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return jsm.getStreamInfo("O").getStreamState().getLastSequence();
            } catch (Exception e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no origin info");
    }

    private static void awaitMirrorLast(JetStreamManagement jsm, long last) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long seen = -1;
        while (System.nanoTime() < deadline) {
            try {
                seen = jsm.getStreamInfo("M").getStreamState().getLastSequence();
                if (seen >= last) {
                    return;
                }
            } catch (Exception e) {
                // no leader for a moment
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the mirror reached " + seen + ", the origin " + last);
    }
}
