package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import nats.leafnode.testing.Leafz;
import nats.leafnode.testing.Messaging;
import nats.leafnode.testing.Ours;
import nats.transport.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A traced message (Go 2.11) leaving over a leaf connection: leaf connections carry no trace hops yet, so the hub's
 * event names the leaf as an egress of kind 4 with Go's no-support text, and a trace-only message is not sent. The
 * leaf server, finding the trace header, sends an event of its own (ingress of kind 4, no hop), as a Go 2.11 leaf
 * does for a message from a hub that does not trace.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessageTraceToLeafTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void theLeafIsAnEgressThatSendsNoEvent() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\"}] }");
             Connection onHub = Messaging.connect(hub.clientUrl());
             Connection onLeaf = Messaging.connect(leaf.clientUrl())) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            Subscription traces = onHub.subscribe("my.trace");
            Subscription leafSub = onLeaf.subscribe("down.>");
            onLeaf.flush(WAIT);
            onHub.flush(WAIT);
            Messaging.awaitInterest(onHub, "down.probe", leafSub);

            String hubId = hub.server().identity().serverId();
            String leafId = leaf.server().identity().serverId();
            onHub.publish(traced(false));
            assertNotNull(leafSub.nextMessage(WAIT), "delivered on the leaf");
            Map<String, Map<String, Object>> events = Map.of();
            for (int i = 0; i < 2; i++) {
                Map<String, Object> e = event(traces);
                events = new java.util.HashMap<>(events);
                events.put(serverId(e), e);
            }
            Map<String, Object> leafIngress = entries(events.get(leafId), "in").get(0);
            assertEquals(4L, ((Number) leafIngress.get("kind")).longValue(), "the leaf's event: ingress from the hub");
            Map<String, Object> eg = only(events.get(hubId), "eg");
            assertEquals(4L, ((Number) eg.get("kind")).longValue(), "egress to a leaf connection");
            assertEquals("LEAF", eg.get("name"), "the leaf server's name");
            assertEquals("Message delivered but remote does not support message tracing so no trace event "
                    + "generated from there", eg.get("error"));

            onHub.publish(traced(true));
            Map<String, Object> onlyEvent = event(traces);
            assertEquals(hubId, serverId(onlyEvent), "only the hub reports a trace-only message");
            assertEquals("Not delivered because remote does not support message tracing",
                    only(onlyEvent, "eg").get("error"));
            assertNull(leafSub.nextMessage(Duration.ofMillis(300)), "a trace-only message is not sent to the leaf");
        }
    }

    private static Message traced(boolean only) {
        Headers h = new Headers().add("Nats-Trace-Dest", "my.trace");
        if (only) {
            h.add("Nats-Trace-Only", "true");
        }
        return NatsMessage.builder().subject("down.x").headers(h).data("m".getBytes(StandardCharsets.UTF_8)).build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> event(Subscription traces) throws InterruptedException {
        Message m = traces.nextMessage(WAIT);
        assertNotNull(m, "a trace event");
        return (Map<String, Object>) Json.parse(new String(m.getData(), StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static String serverId(Map<String, Object> event) {
        return (String) ((Map<String, Object>) event.get("server")).get("id");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Map<String, Object> event, String type) {
        assertNotNull(event, "an event from each server");
        return ((List<Map<String, Object>>) event.get("events")).stream().filter(e -> type.equals(e.get("type")))
                .toList();
    }

    private static Map<String, Object> only(Map<String, Object> event, String type) {
        List<Map<String, Object>> found = entries(event, type);
        assertEquals(1, found.size(), "one " + type + " in " + event);
        return found.get(0);
    }
}
