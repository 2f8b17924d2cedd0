package nats.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import nats.testing.Clients;
import nats.gateway.testing.Member;
import nats.gateway.testing.Member.Kind;
import nats.testing.Monitor;
import nats.transport.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A traced message (Go 2.11's msgtrace) crossing a gateway. Between two of our clusters (both announce Go's
 * MsgTraceProto level, {@code proto: 3}, in the gateway INFO) the sending server's event names the outbound gateway
 * as an egress of kind 2 with the hop id it gave ({@code Nats-Trace-Hop}) and {@code hops: 1}; the receiving server
 * publishes its own event (ingress of kind 2 carrying that hop); a trace-only message is reported over there and
 * not delivered. A Go 2.9 cluster does not trace: Go's no-support texts, and a trace-only message is not sent.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MessageTraceAcrossGatewayTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void eachClusterPublishesItsEventWithTheHop() throws Exception {
        Member.Plan ap = new Member.Plan();
        Member.Plan bp = new Member.Plan();
        try (Member a = Member.start(dir, Kind.OURS, "A", ap, null, "name: A");
             Member b = Member.start(dir, Kind.OURS, "B", bp, null, "name: B, gateways: [{name: A, urls: [\""
                     + ap.gatewayUrl() + "\"]}]");
             Connection pub = Clients.connect(a.clientUrl());
             Connection sub = Clients.connect(b.clientUrl())) {
            Monitor.awaitOutbound(WAIT, a.httpPort, "B");
            Monitor.awaitOutbound(WAIT, b.httpPort, "A");
            Subscription traces = pub.subscribe("trace.dest");
            Subscription orders = sub.subscribe("orders");
            pub.flush(WAIT);
            sub.flush(WAIT);
            Clients.awaitInterest(pub, "orders", orders);
            Clients.awaitInterest(sub, "trace.dest", traces);
            String aId = (String) Monitor.get(a.httpPort, "/varz").get("server_id");
            String bId = (String) Monitor.get(b.httpPort, "/varz").get("server_id");

            pub.publish(traced("orders", false));
            assertNotNull(orders.nextMessage(WAIT), "delivered in the other cluster");
            Map<String, Map<String, Object>> byServer = twoEvents(traces);
            Map<String, Object> first = byServer.get(aId);
            Map<String, Object> second = byServer.get(bId);
            assertNotNull(first, "an event from the publisher's server: " + byServer);
            assertNotNull(second, "an event from the subscriber's server: " + byServer);
            assertEquals(1L, ((Number) first.get("hops")).longValue(), "one hop from the first server");
            Map<String, Object> eg = only(first, "eg");
            assertEquals(2L, ((Number) eg.get("kind")).longValue(), "egress to a gateway");
            assertEquals("1", eg.get("hop"), "the hop id given to the other cluster");
            assertFalse(eg.containsKey("error"), "the other cluster traces: " + eg);
            Map<String, Object> in = events(second).get(0);
            assertEquals("in", in.get("type"));
            assertEquals(2L, ((Number) in.get("kind")).longValue(), "ingress from a gateway");
            assertEquals("orders", in.get("subj"));
            @SuppressWarnings("unchecked")
            Map<String, Object> header = (Map<String, Object>) ((Map<String, Object>) second.get("request"))
                    .get("header");
            assertEquals(List.of("1"), header.get("Nats-Trace-Hop"), "the hop header the first server set");
            assertEquals(0L, ((Number) only(second, "eg").get("kind")).longValue(), "delivered to the client there");

            pub.publish(traced("orders", true));
            Map<String, Map<String, Object>> onlyTrace = twoEvents(traces);
            assertFalse(only(onlyTrace.get(bId), "eg").containsKey("error"), "would be delivered");
            assertNull(orders.nextMessage(Duration.ofMillis(300)), "trace only: nothing delivered over there");
        }
    }

    @Test
    void aGoClusterWithoutTracingIsNamedInTheEgress() throws Exception {
        Member.Plan jp = new Member.Plan();
        Member.Plan gp = new Member.Plan();
        try (Member j = Member.start(dir, Kind.OURS, "J", jp, null, "name: J");
             Member g = Member.start(dir, Kind.GO, "G", gp, null, "name: G, gateways: [{name: J, urls: [\""
                     + jp.gatewayUrl() + "\"]}]");
             Connection pub = Clients.connect(j.clientUrl());
             Connection sub = Clients.connect(g.clientUrl())) {
            Monitor.awaitOutbound(WAIT, j.httpPort, "G");
            Monitor.awaitOutbound(WAIT, g.httpPort, "J");
            Subscription traces = pub.subscribe("trace.dest");
            Subscription orders = sub.subscribe("orders");
            sub.flush(WAIT);
            Clients.awaitInterest(pub, "orders", orders);
            pub.publish(traced("orders", false));
            assertNotNull(orders.nextMessage(WAIT), "Go 2.9 still gets the message");
            Map<String, Object> eg = only(event(traces), "eg");
            assertEquals(2L, ((Number) eg.get("kind")).longValue(), "egress to a gateway");
            assertEquals("Message delivered but remote does not support message tracing so no trace event "
                    + "generated from there", eg.get("error"));
            assertFalse(eg.containsKey("hop"), "no hop was given");
            pub.publish(traced("orders", true));
            assertEquals("Not delivered because remote does not support message tracing",
                    only(event(traces), "eg").get("error"));
            assertNull(orders.nextMessage(Duration.ofMillis(300)), "a trace-only message is not sent to it");
        }
    }

    private static Message traced(String subject, boolean only) {
        Headers h = new Headers().add("Nats-Trace-Dest", "trace.dest");
        if (only) {
            h.add("Nats-Trace-Only", "true");
        }
        return NatsMessage.builder().subject(subject).headers(h).data("m".getBytes(StandardCharsets.UTF_8)).build();
    }

    private static Map<String, Map<String, Object>> twoEvents(Subscription traces) throws InterruptedException {
        Map<String, Map<String, Object>> events = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Map<String, Object> e = event(traces);
            events.put(serverId(e), e);
        }
        return events;
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
    private static List<Map<String, Object>> events(Map<String, Object> event) {
        return (List<Map<String, Object>>) event.get("events");
    }

    private static Map<String, Object> only(Map<String, Object> event, String type) {
        List<Map<String, Object>> found = events(event).stream().filter(e -> type.equals(e.get("type"))).toList();
        assertEquals(1, found.size(), "one " + type + " in " + event);
        return found.get(0);
    }
}
