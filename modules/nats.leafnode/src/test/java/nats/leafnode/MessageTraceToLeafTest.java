package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * A traced message (Go 2.11's msgtrace) crossing a leaf connection. Between two of ours (both at Go's MsgTraceProto
 * level, announced in the leaf INFO's {@code proto} and CONNECT's {@code protocol}), the sending server's event names
 * the leaf connection as an egress of kind 4 with the hop id it gave ({@code Nats-Trace-Hop}) and {@code hops: 1};
 * the receiving server publishes its own event (ingress of kind 4 carrying that hop); a trace-only message crosses
 * and is reported, not delivered. In both directions. A Go 2.9 leaf does not trace: the egress carries Go's
 * no-support texts and a trace-only message is not sent to it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessageTraceToLeafTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void eachSideOfALeafConnectionPublishesItsEventWithTheHop() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + hub.leafUrl("") + "\"}] }");
             Connection onHub = Messaging.connect(hub.clientUrl());
             Connection onLeaf = Messaging.connect(leaf.clientUrl())) {
            Leafz.await(WAIT, 1, hub.httpPort, leaf.httpPort);
            String hubId = hub.server().identity().serverId();
            String leafId = leaf.server().identity().serverId();
            assertHop(onHub, onLeaf, "down.x", hubId, "HUB", leafId, "LEAF");
            assertHop(onLeaf, onHub, "up.x", leafId, "LEAF", hubId, "HUB");
        }
    }

    /** A traced message from {@code from}'s server to a subscriber on {@code to}'s: one event from each server. */
    private static void assertHop(Connection from, Connection to, String subject, String fromId, String fromName,
                                  String toId, String toName) throws Exception {
        Subscription traces = from.subscribe("my.trace");
        Subscription sub = to.subscribe(subject);
        from.flush(WAIT);
        to.flush(WAIT);
        Messaging.awaitInterest(from, subject, sub);
        Messaging.awaitInterest(to, "my.trace", traces);
        from.publish(traced(subject, false));
        assertNotNull(sub.nextMessage(WAIT), subject + ": delivered over the leaf connection");
        Map<String, Map<String, Object>> events = twoEvents(traces);
        Map<String, Object> first = events.get(fromId);
        Map<String, Object> second = events.get(toId);
        assertNotNull(first, subject + ": an event from the sending server: " + events);
        assertNotNull(second, subject + ": an event from the receiving server: " + events);
        assertEquals(1L, ((Number) first.get("hops")).longValue(), subject + ": one hop from " + fromName);
        Map<String, Object> eg = only(first, "eg");
        assertEquals(4L, ((Number) eg.get("kind")).longValue(), "egress to a leaf connection");
        assertEquals(toName, eg.get("name"), "the other server's name");
        assertEquals("1", eg.get("hop"), "the hop id given to it");
        assertFalse(eg.containsKey("error"), "it traces: " + eg);
        Map<String, Object> in = entries(second, "in").get(0);
        assertEquals(4L, ((Number) in.get("kind")).longValue(), "ingress from a leaf connection");
        assertEquals(fromName, in.get("name"));
        @SuppressWarnings("unchecked")
        Map<String, Object> header = (Map<String, Object>) ((Map<String, Object>) second.get("request")).get("header");
        assertEquals(List.of("1"), header.get("Nats-Trace-Hop"), "the hop header the sending server set");
        assertEquals(0L, ((Number) only(second, "eg").get("kind")).longValue(), "delivered to the client there");

        from.publish(traced(subject, true));
        Map<String, Map<String, Object>> onlyTrace = twoEvents(traces);
        assertFalse(only(onlyTrace.get(toId), "eg").containsKey("error"), "the receiver reports it would deliver");
        assertNull(sub.nextMessage(Duration.ofMillis(300)), "trace only: nothing delivered over there");
        traces.unsubscribe();
        sub.unsubscribe();
    }

    @Test
    void aGoLeafWithoutTracingIsNamedInTheEgress() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(nats.testing.GoServer.available(), "Go nats-server installed");
        int goHttp = nats.testing.Ports.free();
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             nats.testing.GoServer go = nats.testing.GoServer.start(dir, p -> "server_name: GOLEAF\nlisten: 127.0.0.1:"
                     + p + "\nhttp: 127.0.0.1:" + goHttp + "\nleafnodes { remotes: [{url: \"" + hub.leafUrl("")
                     + "\"}] }\n");
             Connection onHub = Messaging.connect(hub.clientUrl());
             Connection onLeaf = Messaging.connect("nats://127.0.0.1:" + go.port())) {
            Leafz.await(WAIT, 1, hub.httpPort, goHttp);
            Subscription traces = onHub.subscribe("my.trace");
            Subscription leafSub = onLeaf.subscribe("down.>");
            onLeaf.flush(WAIT);
            onHub.flush(WAIT);
            Messaging.awaitInterest(onHub, "down.probe", leafSub);
            onHub.publish(traced("down.x", false));
            assertNotNull(leafSub.nextMessage(WAIT), "delivered on the Go leaf");
            Map<String, Object> eg = only(event(traces), "eg");
            assertEquals(4L, ((Number) eg.get("kind")).longValue(), "egress to a leaf connection");
            assertEquals("GOLEAF", eg.get("name"), "the leaf server's name");
            assertEquals("Message delivered but remote does not support message tracing so no trace event "
                    + "generated from there", eg.get("error"));
            assertFalse(eg.containsKey("hop"), "no hop was given");
            onHub.publish(traced("down.x", true));
            assertEquals("Not delivered because remote does not support message tracing",
                    only(event(traces), "eg").get("error"));
            assertNull(leafSub.nextMessage(Duration.ofMillis(300)), "a trace-only message is not sent to it");
        }
    }

    private static Map<String, Map<String, Object>> twoEvents(Subscription traces) throws InterruptedException {
        Map<String, Map<String, Object>> events = new java.util.HashMap<>();
        for (int i = 0; i < 2; i++) {
            Map<String, Object> e = event(traces);
            events.put(serverId(e), e);
        }
        return events;
    }

    private static Message traced(String subject, boolean only) {
        Headers h = new Headers().add("Nats-Trace-Dest", "my.trace");
        if (only) {
            h.add("Nats-Trace-Only", "true");
        }
        return NatsMessage.builder().subject(subject).headers(h).data("m".getBytes(StandardCharsets.UTF_8)).build();
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
