package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import nats.leafnode.testing.Leafz;
import nats.leafnode.testing.Messaging;
import nats.leafnode.testing.Ours;
import nats.testing.GoServer;
import nats.testing.Ports;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster name in the leaf handshake, as Go 2.9.10: a clustered server names its cluster in the leaf CONNECT
 * and INFO ({@code cluster}), and a hub refuses a leaf of its own cluster with
 * {@code -ERR 'remote leafnode has same cluster name'}; the leaf logs Go's text and waits 30 s before dialling again.
 * Both directions with Go, and two of ours in different clusters still connect.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeafClusterNameTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static String cluster(String name) throws java.io.IOException {
        return "cluster { name: " + name + ", listen: \"127.0.0.1:" + Ports.free() + "\" }\n";
    }

    @Test
    void aGoHubRefusesOurLeafOfItsOwnCluster() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int goLeaf = Ports.free();
        int goHttp = Ports.free();
        String goCluster = cluster("C");
        try (GoServer go = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHttp + "\n"
                + goCluster + "leafnodes { listen: 127.0.0.1:" + goLeaf + " }\n");
             Ours leaf = Ours.start(dir, "LEAF", cluster("C") + "leafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:"
                     + goLeaf + "\"}] }")) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!go.log().contains("remote leafnode has same cluster name") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(go.log().contains("remote leafnode has same cluster name"),
                    "Go read our CONNECT's cluster and refused it: " + go.log());
            Thread.sleep(500);
            assertEquals(0, Leafz.count(goHttp), "no leaf connection on the Go hub");
            assertEquals(0, Leafz.count(leaf.httpPort), "none on our leaf");
        }
    }

    @Test
    void ourHubRefusesAGoLeafOfItsOwnClusterWithGosText() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int goHttp = Ports.free();
        String goCluster = cluster("C");
        try (Ours hub = Ours.start(dir, "HUB", cluster("C") + "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             GoServer go = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + goHttp + "\n"
                     + goCluster + "leafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:" + hub.leafPort + "\"}] }\n")) {
            String expected = "Leafnode connection dropped with same cluster name error. Delaying attempt to "
                    + "reconnect for 30s";
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!go.log().contains(expected) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(go.log().contains(expected), "the Go leaf got Go's error from our hub: " + go.log());
            assertEquals(0, Leafz.count(hub.httpPort), "no leaf connection on our hub");
        }
    }

    @Test
    void ourServersOfDifferentClustersConnectAndOfTheSameClusterDoNot() throws Exception {
        try (Ours hub = Ours.start(dir, "HUB", cluster("H") + "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours other = Ours.start(dir, "OTHER", cluster("S") + "leafnodes { remotes: [{url: \""
                     + hub.leafUrl("") + "\"}] }");
             Ours same = Ours.start(dir, "SAME", cluster("H") + "leafnodes { remotes: [{url: \""
                     + hub.leafUrl("") + "\"}] }")) {
            Leafz.await(WAIT, 1, other.httpPort);
            try (io.nats.client.Connection onHub = Messaging.connect(hub.clientUrl());
                 io.nats.client.Connection onLeaf = Messaging.connect(other.clientUrl())) {
                io.nats.client.Subscription sub = onLeaf.subscribe("across.>");
                onLeaf.flush(WAIT);
                Messaging.awaitInterest(onHub, "across.probe", sub);
            }
            Thread.sleep(500);
            assertEquals(1, Leafz.count(hub.httpPort), "the hub holds the leaf of cluster S only");
            assertEquals(0, Leafz.count(same.httpPort), "the leaf of the hub's own cluster H is refused");
        }
    }

    /**
     * Go's cluster-wide no echo on one hub server: a spoke cluster S of two routed servers, both leaves of one hub.
     * The hub does not announce one spoke's interest to the other, nor pass one's messages to the other: a message
     * published on the first spoke reaches a subscriber of the second once (over the spokes' route), while the hub's
     * own subscriber still gets it.
     */
    @Test
    void aSpokeClusterOnOneHubGetsEachMessageOnce() throws Exception {
        int r1 = Ports.free();
        int r2 = Ports.free();
        try (Ours hub = Ours.start(dir, "HUB", cluster("H") + "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
             Ours s1 = Ours.start(dir, "S1", "cluster { name: S, listen: 127.0.0.1:" + r1 + ", routes: [\""
                     + "nats-route://127.0.0.1:" + r2 + "\"] }\nleafnodes { remotes: [{url: \"" + hub.leafUrl("")
                     + "\"}] }");
             Ours s2 = Ours.start(dir, "S2", "cluster { name: S, listen: 127.0.0.1:" + r2 + ", routes: [\""
                     + "nats-route://127.0.0.1:" + r1 + "\"] }\nleafnodes { remotes: [{url: \"" + hub.leafUrl("")
                     + "\"}] }");
             io.nats.client.Connection onHub = Messaging.connect(hub.clientUrl());
             io.nats.client.Connection onS1 = Messaging.connect(s1.clientUrl());
             io.nats.client.Connection onS2 = Messaging.connect(s2.clientUrl())) {
            Leafz.await(WAIT, 2, hub.httpPort);
            io.nats.client.Subscription atS2 = onS2.subscribe("spoke.x");
            io.nats.client.Subscription atHub = onHub.subscribe("spoke.x");
            onS2.flush(WAIT);
            onHub.flush(WAIT);
            Messaging.awaitInterest(onS1, "spoke.x", atS2);
            Messaging.awaitInterest(onS1, "spoke.x", atHub);
            while (atS2.nextMessage(Duration.ofMillis(200)) != null) {
                // the second probe run's copies
            }
            Messaging.assertFlow(onS1, "spoke.x", atS2, 50);
            org.junit.jupiter.api.Assertions.assertNull(atS2.nextMessage(Duration.ofMillis(300)),
                    "no copy through the hub reached the second spoke");
            for (int i = 0; i < 50; i++) {
                io.nats.client.Message m = atHub.nextMessage(WAIT);
                assertEquals("m" + i, m == null ? null : new String(m.getData(), java.nio.charset.StandardCharsets.UTF_8),
                        "the hub's own subscriber got the spoke's message " + i);
            }
        }
    }
}
