package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import nats.leafnode.testing.Leafz;
import nats.leafnode.testing.Messaging;
import nats.leafnode.testing.Ours;
import nats.testing.GoServer;
import nats.testing.Ports;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Our server as the leaf of a Go 2.9.10 hub, and as the hub of a Go leaf: messages, requests, queue groups. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MixedWithGoTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void oursAsTheLeafOfAGoHub() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int goLeafPort = Ports.free();
        int goHttp = Ports.free();
        try (GoServer go = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHttp
                + "\nleafnodes { listen: 127.0.0.1:" + goLeafPort
                + "\n authorization { users: [{user: leaf, password: s3cret, account: A}] } }"
                + "\naccounts { A { users: [{user: a, password: a}] } }\n");
             Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"nats-leaf://leaf:s3cret@127.0.0.1:"
                     + goLeafPort + "\"}] }");
             Connection onGo = Messaging.connect("nats://a:a@127.0.0.1:" + go.port());
             Connection onLeaf = Messaging.connect(leaf.clientUrl())) {
            Leafz.await(WAIT, 1, goHttp, leaf.httpPort);
            assertEquals("A", Leafz.leafs(goHttp, "").getFirst().get("account"), "Go bound our leaf to account A");
            exercise(onGo, onLeaf);
            assertFalse(go.log().contains("[ERR]"), "the Go hub logged no error: " + go.log());
        }
    }

    @Test
    void goAsTheLeafOfOurHub() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int goHttp = Ports.free();
        try (Ours hub = Ours.start(dir, "HUB", "leafnodes { listen: \"127.0.0.1:%LEAF%\"\n"
                + " authorization { users: [{user: leaf, password: s3cret, account: A}] } }\n"
                + "accounts { A { users: [{user: a, password: a}] } }");
             GoServer go = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHttp
                     + "\nleafnodes { remotes: [{url: \"" + hub.leafUrl("leaf:s3cret") + "\"}] }\n");
             Connection onHub = Messaging.connect("nats://a:a@127.0.0.1:" + hub.port);
             Connection onGo = Messaging.connect("nats://127.0.0.1:" + go.port())) {
            Leafz.await(WAIT, 1, goHttp, hub.httpPort);
            assertEquals("A", Leafz.leafs(hub.httpPort, "").getFirst().get("account"), "we bound Go's leaf to account A");
            exercise(onHub, onGo);
            assertFalse(go.log().contains("[ERR]"), "the Go leaf logged no error: " + go.log());
        }
    }

    /** Pub/sub and requests both ways; a queue group spread over both sides prefers the publisher's side. */
    private static void exercise(Connection onHub, Connection onLeaf) throws Exception {
        Subscription down = onLeaf.subscribe("down");
        onLeaf.flush(WAIT);
        Messaging.awaitInterest(onHub, "down", down);
        Messaging.assertFlow(onHub, "down", down, 200);

        Subscription up = onHub.subscribe("up.*");
        onHub.flush(WAIT);
        Messaging.awaitInterest(onLeaf, "up.x", up);
        Messaging.assertFlow(onLeaf, "up.y", up, 200);

        onLeaf.createDispatcher(m -> onLeaf.publish(m.getReplyTo(), m.getData())).subscribe("echo");
        onLeaf.flush(WAIT);
        Message reply = HubAndSpokeTest.awaitRequest(onHub, "echo", "hello");
        assertEquals("hello", new String(reply.getData(), StandardCharsets.UTF_8), "the leaf answered the hub's request");

        // Queue members on both sides: a publisher's own side's members take everything (Go 2.9).
        Subscription qLeaf = onLeaf.subscribe("work", "workers");
        Subscription qHub = onHub.subscribe("work", "workers");
        onLeaf.flush(WAIT);
        onHub.flush(WAIT);
        Thread.sleep(300);
        for (int i = 0; i < 50; i++) {
            onHub.publish("work", "x".getBytes(StandardCharsets.UTF_8));
        }
        onHub.flush(WAIT);
        Map<String, Integer> got = count(Map.of("hub", qHub, "leaf", qLeaf), 50);
        assertEquals(50, got.get("hub"), "the hub's own member took every message: " + got);
        // Without a member on the hub, the leaf's member gets them.
        qHub.unsubscribe();
        onHub.flush(WAIT);
        Thread.sleep(300);
        for (int i = 0; i < 20; i++) {
            onHub.publish("work", "y".getBytes(StandardCharsets.UTF_8));
        }
        onHub.flush(WAIT);
        for (int i = 0; i < 20; i++) {
            assertNotNull(qLeaf.nextMessage(WAIT), "queue message " + i + " reached the leaf's member");
        }
    }

    private static Map<String, Integer> count(Map<String, Subscription> subs, int total) throws Exception {
        Map<String, Integer> got = new HashMap<>();
        subs.keySet().forEach(k -> got.put(k, 0));
        int n = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (n < total && System.nanoTime() < deadline) {
            for (Map.Entry<String, Subscription> e : subs.entrySet()) {
                if (e.getValue().nextMessage(Duration.ofMillis(20)) != null) {
                    got.merge(e.getKey(), 1, Integer::sum);
                    n++;
                }
            }
        }
        Thread.sleep(200);
        for (Map.Entry<String, Subscription> e : subs.entrySet()) {
            while (e.getValue().nextMessage(Duration.ofMillis(10)) != null) {
                got.merge(e.getKey(), 1, Integer::sum);
            }
        }
        assertTrue(got.values().stream().mapToInt(Integer::intValue).sum() == total,
                "each queue message went to exactly one member: " + got);
        return got;
    }
}
