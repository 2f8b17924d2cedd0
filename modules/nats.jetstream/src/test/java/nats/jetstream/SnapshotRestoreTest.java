package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.api.StreamConfiguration;
import nats.jetstream.testing.JsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code STREAM.SNAPSHOT} and {@code STREAM.RESTORE} driven as the nats CLI drives them: chunks acked one by one,
 * an empty chunk at the end; the restored stream has the same messages.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SnapshotRestoreTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void snapshotThenRestoreGivesTheSameMessages() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            var jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("SNAP").subjects("snap.*").build());
            for (int i = 0; i < 500; i++) {
                nc.jetStream().publish("snap." + (i % 5), bytes("payload-" + i));
            }
            Subscription chunks = nc.subscribe("snap.deliver");
            String resp = new String(nc.request("$JS.API.STREAM.SNAPSHOT.SNAP",
                    bytes("{\"deliver_subject\":\"snap.deliver\",\"chunk_size\":4096}"), Duration.ofSeconds(5))
                    .getData(), StandardCharsets.UTF_8);
            assertTrue(resp.contains("\"config\""), "snapshot accepted: " + resp);
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            while (true) {
                Message chunk = chunks.nextMessage(Duration.ofSeconds(5));
                assertTrue(chunk != null, "chunks keep coming until the empty one");
                if (chunk.getData().length == 0) {
                    break;
                }
                data.write(chunk.getData());
                nc.publish(chunk.getReplyTo(), new byte[0]);
            }
            assertTrue(jsm.deleteStream("SNAP"), "deleted before the restore");
            String restore = new String(nc.request("$JS.API.STREAM.RESTORE.SNAP",
                    bytes("{\"config\":{\"name\":\"SNAP\",\"subjects\":[\"snap.*\"]}}"), Duration.ofSeconds(5))
                    .getData(), StandardCharsets.UTF_8);
            String deliver = restore.replaceAll(".*\"deliver_subject\":\"([^\"]+)\".*", "$1");
            byte[] all = data.toByteArray();
            for (int off = 0; off < all.length; off += 8192) {
                byte[] piece = java.util.Arrays.copyOfRange(all, off, Math.min(all.length, off + 8192));
                nc.request(deliver, piece, Duration.ofSeconds(5));
            }
            String done = new String(nc.request(deliver, new byte[0], Duration.ofSeconds(10)).getData(),
                    StandardCharsets.UTF_8);
            assertTrue(done.contains("stream_create_response") && !done.contains("\"error\""), "restored: " + done);
            var state = jsm.getStreamInfo("SNAP").getStreamState();
            assertEquals(500, state.getMsgCount(), "every message is back");
            assertEquals("payload-123", new String(jsm.getMessage("SNAP", 124).getData(), StandardCharsets.UTF_8),
                    "with its payload");
        }
    }
}
