package nats.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.cluster.testing.Node;
import nats.cluster.testing.Ports;
import nats.testing.Monitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three of our servers in one cluster, B and C given only A as their route (they learn of each other by gossip),
 * with jnats clients: messages, requests and queue groups across nodes, and interest that comes and goes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreeNodeClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private Node a;
    private Node b;
    private Node c;

    @BeforeAll
    void startCluster() throws Exception {
        int seed = Ports.free();
        a = Node.start(dir, "A", seed, "name: test", "");
        b = Node.start(dir, "B", Ports.free(), "name: test, routes: [\"" + a.routeUrl() + "\"]", "");
        c = Node.start(dir, "C", Ports.free(), "name: test, routes: [\"" + a.routeUrl() + "\"]", "");
        Monitor.awaitRoutes(WAIT, 2, a.httpPort, b.httpPort, c.httpPort);
    }

    @AfterAll
    void stopCluster() {
        for (Node n : new Node[] {c, b, a}) {
            if (n != null) {
                n.close();
            }
        }
    }

    private static Connection connect(Node node) throws Exception {
        return Nats.connect(new Options.Builder().server(node.clientUrl()).connectionTimeout(Duration.ofSeconds(5))
                .build());
    }

    /** Publishes until the subscriber sees a probe: interest crosses the cluster asynchronously. */
    private static void awaitInterest(Connection publisher, String subject, Subscription sub) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            publisher.publish(subject, "probe".getBytes(StandardCharsets.UTF_8));
            publisher.flush(Duration.ofSeconds(2));
            Message m = sub.nextMessage(Duration.ofMillis(100));
            if (m != null) {
                // Drain the probes still in flight.
                while (sub.nextMessage(Duration.ofMillis(200)) != null) {
                    // discard
                }
                return;
            }
        }
        throw new AssertionError("interest in " + subject + " never reached the publisher's server");
    }

    @Test
    void gossipFromOneSeedMakesAFullMesh() {
        assertEquals(List.of(b.serverId(), c.serverId()).stream().sorted().toList(), Monitor.remoteIds(a.httpPort),
                "A routes to B and C");
        assertEquals(List.of(a.serverId(), c.serverId()).stream().sorted().toList(), Monitor.remoteIds(b.httpPort),
                "B learned C from A");
        assertEquals(List.of(a.serverId(), b.serverId()).stream().sorted().toList(), Monitor.remoteIds(c.httpPort),
                "C learned B from A");
    }

    @Test
    void messagesCrossTheClusterWithHeadersAndReply() throws Exception {
        try (Connection pub = connect(a); Connection subConn = connect(c)) {
            Subscription sub = subConn.subscribe("cross.one");
            subConn.flush(Duration.ofSeconds(2));
            awaitInterest(pub, "cross.one", sub);
            io.nats.client.impl.Headers headers = new io.nats.client.impl.Headers().add("X-Test", "yes");
            pub.publish("cross.one", "reply.here", headers, "payload".getBytes(StandardCharsets.UTF_8));
            Message m = sub.nextMessage(WAIT);
            assertNotNull(m, "message from A reaches C");
            assertEquals("payload", new String(m.getData(), StandardCharsets.UTF_8), "payload intact");
            assertEquals("reply.here", m.getReplyTo(), "reply intact");
            assertEquals("yes", m.getHeaders().getFirst("X-Test"), "headers intact");
        }
    }

    @Test
    void requestReplyAcrossNodes() throws Exception {
        try (Connection responder = connect(b); Connection requester = connect(c)) {
            Dispatcher d = responder.createDispatcher(m -> responder.publish(m.getReplyTo(),
                    ("echo " + new String(m.getData(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
            d.subscribe("svc.echo");
            responder.flush(Duration.ofSeconds(2));
            Message reply = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (reply == null && System.nanoTime() < deadline) {
                try {
                    reply = requester.request("svc.echo", "hi".getBytes(StandardCharsets.UTF_8), Duration.ofMillis(500));
                } catch (Exception noRespondersYet) {
                    Thread.sleep(50);
                }
            }
            assertNotNull(reply, "a reply comes back from B to C");
            assertEquals("echo hi", new String(reply.getData(), StandardCharsets.UTF_8), "reply payload");
            for (int i = 0; i < 50; i++) {
                Message r = requester.request("svc.echo", ("n" + i).getBytes(StandardCharsets.UTF_8), WAIT);
                assertEquals("echo n" + i, new String(r.getData(), StandardCharsets.UTF_8), "request " + i);
            }
        }
    }

    @Test
    void queueGroupsDeliverEachMessageOnceInTheWholeCluster() throws Exception {
        Node[] nodes = {a, b, c};
        Connection[] conns = new Connection[3];
        Map<String, AtomicInteger> perNode = new ConcurrentHashMap<>();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        try (Connection pub = connect(a)) {
            for (int i = 0; i < 3; i++) {
                conns[i] = connect(nodes[i]);
                String node = nodes[i].name;
                for (int k = 0; k < 2; k++) {
                    conns[i].createDispatcher(m -> {
                        String body = new String(m.getData(), StandardCharsets.UTF_8);
                        if (body.startsWith("probe")) {
                            return;
                        }
                        if (!seen.add(body)) {
                            duplicates.incrementAndGet();
                        }
                        received.incrementAndGet();
                        perNode.computeIfAbsent(node, x -> new AtomicInteger()).incrementAndGet();
                    }).subscribe("work", "workers");
                }
                conns[i].flush(Duration.ofSeconds(2));
            }
            // Wait until A sees the group's members on B and C: A's routes carry the queue interest.
            Monitor.await(WAIT, "queue interest of B and C on A", () -> queueWeights(a.httpPort) == 4);
            int n = 3000;
            for (int i = 0; i < n; i++) {
                pub.publish("work", ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            pub.flush(WAIT);
            Monitor.await(WAIT, "all " + n + " messages delivered", () -> received.get() >= n);
            Thread.sleep(300);
            assertEquals(n, received.get(), "each message delivered exactly once in the cluster");
            assertEquals(0, duplicates.get(), "no message twice");
            for (Node node : nodes) {
                int got = perNode.getOrDefault(node.name, new AtomicInteger()).get();
                // Each node holds a third of the members: about 1000 each.
                assertTrue(got > 700 && got < 1300, node.name + " got a fair share: " + got + " of " + n);
            }
        } finally {
            for (Connection conn : conns) {
                if (conn != null) {
                    conn.close();
                }
            }
        }
    }

    /** The queue weights A's routes registered for the group "workers" (each route announces its members). */
    @SuppressWarnings("unchecked")
    private static int queueWeights(int httpPort) {
        int total = 0;
        for (Map<String, Object> route : (List<Map<String, Object>>) Monitor.get(httpPort, "/routez?subs=detail")
                .get("routes")) {
            Object list = route.get("subscriptions_list_detail");
            if (list instanceof List<?> subs) {
                for (Object s : subs) {
                    if ("workers".equals(((Map<String, Object>) s).get("qgroup"))) {
                        total += 2;
                    }
                }
            }
        }
        return total;
    }

    @Test
    void unsubscribeIsPropagated() throws Exception {
        try (Connection pub = connect(a); Connection subConn = connect(b)) {
            Subscription sub = subConn.subscribe("gone.soon");
            subConn.flush(Duration.ofSeconds(2));
            awaitInterest(pub, "gone.soon", sub);
            Monitor.await(WAIT, "A lists B's interest", () -> routeSubjects(a.httpPort).contains("gone.soon"));
            sub.unsubscribe();
            subConn.flush(Duration.ofSeconds(2));
            Monitor.await(WAIT, "A drops B's interest", () -> !routeSubjects(a.httpPort).contains("gone.soon"));
            Monitor.await(WAIT, "C drops B's interest", () -> !routeSubjects(c.httpPort).contains("gone.soon"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> routeSubjects(int httpPort) {
        Set<String> subjects = new java.util.HashSet<>();
        for (Map<String, Object> route : (List<Map<String, Object>>) Monitor.get(httpPort, "/routez?subs=1")
                .get("routes")) {
            Object list = route.get("subscriptions_list");
            if (list instanceof List<?> subs) {
                subs.forEach(s -> subjects.add((String) s));
            }
        }
        return subjects;
    }

    @Test
    void noMessageIsForwardedTwice() throws Exception {
        // A plain subscriber on each node: a message from A reaches each exactly once (no route-to-route hop).
        AtomicInteger total = new AtomicInteger();
        Connection[] conns = new Connection[3];
        Node[] nodes = {a, b, c};
        try (Connection pub = connect(a)) {
            Subscription[] probes = new Subscription[3];
            for (int i = 0; i < 3; i++) {
                conns[i] = connect(nodes[i]);
                probes[i] = conns[i].subscribe("fan.out");
                conns[i].flush(Duration.ofSeconds(2));
            }
            for (Subscription s : probes) {
                awaitInterest(pub, "fan.out", s);
            }
            for (Subscription s : probes) {
                while (s.nextMessage(Duration.ofMillis(300)) != null) {
                    // probes sent while waiting for the others' interest
                }
            }
            pub.publish("fan.out", "once".getBytes(StandardCharsets.UTF_8));
            pub.flush(WAIT);
            for (Subscription s : probes) {
                assertNotNull(s.nextMessage(WAIT), "each node's subscriber gets the message");
                total.incrementAndGet();
            }
            for (Subscription s : probes) {
                assertNull(s.nextMessage(Duration.ofMillis(300)), "and only once");
            }
            assertEquals(3, total.get(), "three deliveries");
        } finally {
            for (Connection conn : conns) {
                if (conn != null) {
                    conn.close();
                }
            }
        }
    }
}
