package nats.jetstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import nats.jetstream.testing.JsServer;
import nats.transport.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go 2.11's JetStream entry of a trace event ({@code js}: stream, subject, nointerest, error), published once the
 * stream has decided; with {@code Nats-Trace-Only} the stream checks the message and stores nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessageTraceJetStreamTest {

    @TempDir
    Path dir;

    private static Message traced(String subject, boolean only, String... more) {
        Headers h = new Headers().add("Nats-Trace-Dest", "my.trace");
        if (only) {
            h.add("Nats-Trace-Only", "true");
        }
        for (int i = 0; i + 1 < more.length; i += 2) {
            h.add(more[i], more[i + 1]);
        }
        return NatsMessage.builder().subject(subject).replyTo("ack.inbox").headers(h)
                .data("m".getBytes(StandardCharsets.UTF_8)).build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsEntry(Subscription traces) throws InterruptedException {
        Message m = traces.nextMessage(Duration.ofSeconds(5));
        assertNotNull(m, "a trace event");
        Map<String, Object> event = (Map<String, Object>) Json.parse(new String(m.getData(), StandardCharsets.UTF_8));
        List<Map<String, Object>> js = ((List<Map<String, Object>>) event.get("events")).stream()
                .filter(e -> "js".equals(e.get("type"))).toList();
        assertEquals(1, js.size(), "one js entry in " + event);
        return js.get(0);
    }

    @Test
    void storedAndTraceOnlyAndRefused() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                    .storageType(StorageType.Memory).build());
            Subscription traces = nc.subscribe("my.trace");
            Subscription acks = nc.subscribe("ack.inbox");
            nc.flush(Duration.ofSeconds(2));

            nc.publish(traced("orders.new", false));
            Map<String, Object> stored = jsEntry(traces);
            assertEquals("ORDERS", stored.get("stream"));
            assertEquals("orders.new", stored.get("subject"));
            assertFalse(stored.containsKey("error"), "stored: " + stored);
            assertFalse(stored.containsKey("nointerest"), "limits retention: omitted");
            assertNotNull(acks.nextMessage(Duration.ofSeconds(2)), "the publish is acknowledged");
            assertEquals(1, jsm.getStreamInfo("ORDERS").getStreamState().getMsgCount());
            Headers storedHeaders = jsm.getMessage("ORDERS", 1).getHeaders();
            assertTrue(storedHeaders.containsKey("Xats-Trace-Dest"),
                    "the stored copy's trace header is switched off, as Go does: " + storedHeaders.keySet());

            nc.publish(traced("orders.new", true));
            Map<String, Object> checked = jsEntry(traces);
            assertEquals("orders.new", checked.get("subject"));
            assertFalse(checked.containsKey("error"), "would be stored: " + checked);
            assertNull(acks.nextMessage(Duration.ofMillis(300)), "trace only: no ack");
            assertEquals(1, jsm.getStreamInfo("ORDERS").getStreamState().getMsgCount(), "and nothing stored");

            nc.publish(traced("orders.new", true, "Nats-Expected-Last-Sequence", "7"));
            assertEquals("last sequence mismatch: 7 vs 1", jsEntry(traces).get("error"), "Go's error text");
            Message error = acks.nextMessage(Duration.ofSeconds(2));
            assertNotNull(error, "a refusal is answered even when only traced, as in Go");
        }
    }

    @Test
    void interestStreamWithoutConsumersReportsNoInterest() throws Exception {
        try (JsServer server = JsServer.start(dir); Connection nc = server.connect()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("WORK").subjects("work")
                    .retentionPolicy(RetentionPolicy.Interest).storageType(StorageType.Memory).build());
            Subscription traces = nc.subscribe("my.trace");
            nc.flush(Duration.ofSeconds(2));
            nc.publish(traced("work", false));
            Map<String, Object> js = jsEntry(traces);
            assertEquals(Boolean.TRUE, js.get("nointerest"), "no consumer: " + js);
        }
    }
}
