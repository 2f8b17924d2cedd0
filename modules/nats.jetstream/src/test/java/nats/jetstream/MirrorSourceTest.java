package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.Mirror;
import io.nats.client.api.Source;
import io.nats.client.api.StreamConfiguration;
import nats.jetstream.testing.JsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Mirrors and sources on one server, with filters and subject transforms. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MirrorSourceTest {

    @TempDir
    Path dir;

    private static void await(String what, LongSupplier actual, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (actual.getAsLong() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, actual.getAsLong(), what);
    }

    private static long count(JetStreamManagement jsm, String stream) {
        try {
            return jsm.getStreamInfo(stream).getStreamState().getMsgCount();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void mirrorKeepsSequencesAndFollowsNewMessages() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("ORIGIN").subjects("o.>").build());
            JetStream js = nc.jetStream();
            for (int i = 0; i < 5; i++) {
                js.publish("o.x", ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            jsm.deleteMessage("ORIGIN", 2);
            jsm.addStream(StreamConfiguration.builder().name("M").mirror(Mirror.builder().sourceName("ORIGIN").build())
                    .build());
            await("the mirror catches up", () -> count(jsm, "M"), 4);
            js.publish("o.y", "late".getBytes(StandardCharsets.UTF_8));
            await("and follows", () -> count(jsm, "M"), 5);
            var last = jsm.getMessage("M", 6);
            assertEquals("late", new String(last.getData(), StandardCharsets.UTF_8), "same sequence as in the origin");
            assertTrue(jsm.getStreamInfo("M").getMirrorInfo() != null, "mirror info reported");
        }
    }

    @Test
    void sourcesWithFilterAndTransform() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("A").subjects("a.*").build());
            jsm.addStream(StreamConfiguration.builder().name("B").subjects("b.*").build());
            JetStream js = nc.jetStream();
            js.publish("a.1", new byte[] {1});
            js.publish("a.2", new byte[] {2});
            js.publish("b.1", new byte[] {3});
            jsm.addStream(StreamConfiguration.builder().name("AGG").sources(
                    Source.builder().sourceName("A").filterSubject("a.1").build(),
                    Source.builder().sourceName("B").build()).build());
            await("sourced a.1 and b.1", () -> count(jsm, "AGG"), 2);
            js.publish("b.2", new byte[] {4});
            await("new sourced messages arrive", () -> count(jsm, "AGG"), 3);
        }
    }
}
