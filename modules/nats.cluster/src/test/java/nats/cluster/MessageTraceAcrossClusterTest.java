package nats.cluster;

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
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import nats.cluster.testing.GoNode;
import nats.cluster.testing.Node;
import nats.cluster.testing.Ports;
import nats.testing.Clients;
import nats.testing.Monitor;
import nats.transport.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go 2.11's message tracing across a route: the first server's event has an egress of kind route (1) naming the
 * peer and the hop id it gave the message ({@code Nats-Trace-Hop}), and {@code hops: 1}; the peer publishes its own
 * event (ingress of kind route, the hop header among the request headers) to the same destination. A Go 2.9 peer
 * cannot trace: the egress says so with Go's texts, and a trace-only message is not sent to it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MessageTraceAcrossClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void eachServerPublishesItsEventWithTheHop() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: t", "");
             Node b = Node.start(dir, "B", Ports.free(), "name: t, routes: [\"" + a.routeUrl() + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 1, a.httpPort, b.httpPort);
            try (Connection pub = connect(a.port, "pub"); Connection sub = connect(b.port, "sub")) {
                Subscription traces = pub.subscribe("trace.dest");
                Subscription orders = sub.subscribe("orders");
                pub.flush(Duration.ofSeconds(2));
                Clients.awaitInterest(pub, "orders", orders);
                Clients.awaitInterest(sub, "trace.dest", traces);

                pub.publish(traced("orders", false));
                assertNotNull(orders.nextMessage(WAIT), "delivered on the other server");
                Map<String, Map<String, Object>> byServer = twoEvents(traces);
                Map<String, Object> first = byServer.get(a.serverId());
                Map<String, Object> second = byServer.get(b.serverId());
                assertNotNull(first, "an event from the publisher's server: " + byServer);
                assertNotNull(second, "an event from the subscriber's server: " + byServer);

                assertEquals(1L, ((Number) first.get("hops")).longValue(), "one hop from the first server");
                Map<String, Object> routeEgress = only(first, "eg");
                assertEquals(1L, ((Number) routeEgress.get("kind")).longValue(), "egress to a route");
                assertEquals("B", routeEgress.get("name"), "the peer's name");
                assertEquals("1", routeEgress.get("hop"), "the hop id given to the peer");
                assertFalse(routeEgress.containsKey("error"), "the peer traces: " + routeEgress);

                assertNull(second.get("hops"), "the last server forwards nowhere");
                Map<String, Object> in = events(second).get(0);
                assertEquals("in", in.get("type"));
                assertEquals(1L, ((Number) in.get("kind")).longValue(), "ingress from a route");
                assertEquals("A", in.get("name"));
                assertEquals("$G", in.get("acc"));
                assertEquals("orders", in.get("subj"));
                @SuppressWarnings("unchecked")
                Map<String, Object> header = (Map<String, Object>) ((Map<String, Object>) second.get("request"))
                        .get("header");
                assertEquals(List.of("1"), header.get("Nats-Trace-Hop"), "the hop header the first server set");
                Map<String, Object> clientEgress = only(second, "eg");
                assertEquals(0L, ((Number) clientEgress.get("kind")).longValue());
                assertEquals("sub", clientEgress.get("name"));

                pub.publish(traced("orders", true));
                Map<String, Map<String, Object>> onlyTrace = twoEvents(traces);
                assertFalse(only(onlyTrace.get(b.serverId()), "eg").containsKey("error"), "would be delivered");
                assertNull(orders.nextMessage(Duration.ofMillis(300)), "trace only: nothing delivered over there");
            }
        }
    }

    @Test
    void aGoPeerWithoutTracingIsNamedInTheEgress() throws Exception {
        GoNode.assumeAvailable();
        try (GoNode go = GoNode.start(dir, "G", Ports.free(), "name: t", "");
             Node ours = Node.start(dir, "J", Ports.free(), "name: t, routes: [\"" + go.routeUrl() + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 1, go.httpPort, ours.httpPort);
            try (Connection pub = connect(ours.port, "pub"); Connection sub = connect(go.port, "sub")) {
                Subscription traces = pub.subscribe("trace.dest");
                Subscription orders = sub.subscribe("orders");
                sub.flush(Duration.ofSeconds(2));
                Clients.awaitInterest(pub, "orders", orders);

                pub.publish(traced("orders", false));
                assertNotNull(orders.nextMessage(WAIT), "Go 2.9 still gets the message");
                Map<String, Object> eg = only(event(traces), "eg");
                assertEquals("G", eg.get("name"));
                assertEquals("Message delivered but remote does not support message tracing so no trace event "
                        + "generated from there", eg.get("error"));
                assertFalse(eg.containsKey("hop"), "no hop was given");

                pub.publish(traced("orders", true));
                assertEquals("Not delivered because remote does not support message tracing",
                        only(event(traces), "eg").get("error"));
                assertNull(orders.nextMessage(Duration.ofMillis(300)), "a trace-only message is not sent to it");
                assertNull(traces.nextMessage(Duration.ofMillis(300)), "and Go 2.9 sends no event of its own");
            }
        }
    }

    private static Connection connect(int port, String name) throws Exception {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port).connectionName(name).build());
    }

    private static Message traced(String subject, boolean only) {
        Headers h = new Headers().add("Nats-Trace-Dest", "trace.dest");
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

    /** The next two events, by the id of the server that sent each. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> twoEvents(Subscription traces) throws InterruptedException {
        Map<String, Map<String, Object>> byServer = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Map<String, Object> e = event(traces);
            byServer.put((String) ((Map<String, Object>) e.get("server")).get("id"), e);
        }
        return byServer;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> events(Map<String, Object> event) {
        return (List<Map<String, Object>>) event.get("events");
    }

    private static Map<String, Object> only(Map<String, Object> event, String type) {
        List<Map<String, Object>> found = events(event).stream().filter(e -> type.equals(e.get("type"))).toList();
        assertEquals(1, found.size(), "one " + type + " entry in " + event);
        return found.get(0);
    }
}
