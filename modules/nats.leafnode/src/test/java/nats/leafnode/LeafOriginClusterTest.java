package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Go 2.9's leafnode origin cluster on routes ({@code lnoc}): a hub cluster H of two routed servers, a spoke cluster
 * S of two routed servers, each spoke the leaf of a different hub server. A message published in S reaches H's
 * first server over a leaf connection and crosses H's route as {@code LMSG S ...}, so H's second server does not
 * send it back to S over its own leaf connection: every subscriber of S gets each message once. The hub cluster is
 * ours, Go 2.9.10 (the oracle) and one of each; the spokes are ours. The interest side too: a spoke's interest
 * crosses the hub's route as {@code LS+ S ...}, and the other hub server does not announce it to the other spoke.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LeafOriginClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int COUNT = 50;

    @TempDir
    Path dir;

    /** A hub server: its client port, its leafnode port, and how to stop it. */
    private record Hub(String clientUrl, int leafPort, int httpPort, AutoCloseable server) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    private static String hubBody(int route, int otherRoute) {
        return "cluster { name: H, listen: 127.0.0.1:" + route + ", routes: [\"nats-route://127.0.0.1:" + otherRoute
                + "\"] }\n";
    }

    private Hub ours(String name, int route, int otherRoute) throws Exception {
        Ours o = Ours.start(dir, name, hubBody(route, otherRoute) + "leafnodes { listen: \"127.0.0.1:%LEAF%\" }");
        return new Hub(o.clientUrl(), o.leafPort, o.httpPort, o);
    }

    private Hub go(String name, int route, int otherRoute) throws Exception {
        int leaf = Ports.free();
        int http = Ports.free();
        GoServer g = GoServer.start(dir, p -> "server_name: " + name + "\nlisten: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:"
                + http + "\n" + hubBody(route, otherRoute) + "leafnodes { listen: 127.0.0.1:" + leaf + " }\n");
        return new Hub("nats://127.0.0.1:" + g.port(), leaf, http, g);
    }

    @Test
    void ourHubClusterDeliversEachSpokeMessageOnce() throws Exception {
        int r1 = Ports.free();
        int r2 = Ports.free();
        try (Hub h1 = ours("H1", r1, r2); Hub h2 = ours("H2", r2, r1)) {
            spokesGetEachMessageOnce(h1, h2);
            hubAnnouncesNoInterestOfTheSpokesOwnCluster(h1, h2);
        }
    }

    @Test
    void goHubClusterDeliversEachSpokeMessageOnce() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int r1 = Ports.free();
        int r2 = Ports.free();
        try (Hub h1 = go("H1", r1, r2); Hub h2 = go("H2", r2, r1)) {
            spokesGetEachMessageOnce(h1, h2);
            hubAnnouncesNoInterestOfTheSpokesOwnCluster(h1, h2);
        }
    }

    @Test
    void mixedHubClusterDeliversEachSpokeMessageOnce() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server installed");
        int r1 = Ports.free();
        int r2 = Ports.free();
        try (Hub h1 = go("H1", r1, r2); Hub h2 = ours("H2", r2, r1)) {
            spokesGetEachMessageOnce(h1, h2);
            hubAnnouncesNoInterestOfTheSpokesOwnCluster(h1, h2);
        }
    }

    private void spokesGetEachMessageOnce(Hub h1, Hub h2) throws Exception {
        try (Spokes spokes = spokes(h1, h2)) {
            Connection onS1 = spokes.onS1();
            Connection onS2 = spokes.onS2();
            Connection onH1 = spokes.onH1();
            Connection onH2 = spokes.onH2();
            Subscription atS1 = onS1.subscribe("origin.x");
            Subscription atS2 = onS2.subscribe("origin.x");
            Subscription atH1 = onH1.subscribe("origin.x");
            Subscription atH2 = onH2.subscribe("origin.x");
            for (Connection c : new Connection[] {onS1, onS2, onH1, onH2}) {
                c.flush(WAIT);
            }
            // Interest crossed every hop: each spoke reaches the farther hub server, each hub server the farther spoke.
            Messaging.awaitInterest(onS1, "origin.x", atH2);
            Messaging.awaitInterest(onS2, "origin.x", atH1);
            Messaging.awaitInterest(onH1, "origin.x", atS2);
            Messaging.awaitInterest(onH2, "origin.x", atS1);
            Thread.sleep(300);
            for (Subscription s : new Subscription[] {atS1, atS2, atH1, atH2}) {
                while (s.nextMessage(Duration.ofMillis(100)) != null) {
                    // the probes' copies
                }
            }
            for (int i = 0; i < COUNT; i++) {
                onS1.publish("origin.x", ("a" + i).getBytes(StandardCharsets.UTF_8));
                onS2.publish("origin.x", ("b" + i).getBytes(StandardCharsets.UTF_8));
            }
            onS1.flush(WAIT);
            onS2.flush(WAIT);
            String[] names = {"S1", "S2", "H1", "H2"};
            Subscription[] subs = {atS1, atS2, atH1, atH2};
            for (int k = 0; k < subs.length; k++) {
                Map<String, Integer> got = drain(subs[k]);
                assertEquals(2 * COUNT, got.size(), "every message reached the subscriber on " + names[k]);
                for (Map.Entry<String, Integer> e : got.entrySet()) {
                    assertEquals(1, e.getValue(), "message " + e.getKey() + " reached the subscriber on " + names[k]
                            + " once");
                }
            }
        }
    }

    /**
     * The interest side ({@code LS+ origin ...} on the hub's route): a hub server does not announce to its spoke the
     * interest the spoke's own cluster holds through the other hub server, and still announces the hub's own.
     */
    private void hubAnnouncesNoInterestOfTheSpokesOwnCluster(Hub h1, Hub h2) throws Exception {
        try (Spokes spokes = spokes(h1, h2)) {
            Connection onS1 = spokes.onS1();
            Connection onS2 = spokes.onS2();
            Connection onH1 = spokes.onH1();
            Connection onH2 = spokes.onH2();
            Subscription onlyS1 = onS1.subscribe("only.s1");
            Subscription onlyS2 = onS2.subscribe("only.s2");
            Subscription atH1 = onH1.subscribe("hub.h1");
            Subscription atH2 = onH2.subscribe("hub.h2");
            for (Connection c : new Connection[] {onS1, onS2, onH1, onH2}) {
                c.flush(WAIT);
            }
            // Each spoke's interest reached the farther hub server, and each hub's the farther spoke.
            Messaging.awaitInterest(onH2, "only.s1", onlyS1);
            Messaging.awaitInterest(onH1, "only.s2", onlyS2);
            Messaging.awaitInterest(onS2, "hub.h1", atH1);
            Messaging.awaitInterest(onS1, "hub.h2", atH2);
            Thread.sleep(300);
            List<String> toS2 = announcedByHub(spokes.s2().httpPort);
            List<String> toS1 = announcedByHub(spokes.s1().httpPort);
            assertTrue(toS2.contains("hub.h1"), "H2 announces H1's interest: " + toS2);
            assertFalse(toS2.contains("only.s1"),
                    "H2 does not announce S1's interest back to cluster S: " + toS2);
            assertTrue(toS1.contains("hub.h2"), "H1 announces H2's interest: " + toS1);
            assertFalse(toS1.contains("only.s2"),
                    "H1 does not announce S2's interest back to cluster S: " + toS1);
        }
    }

    /** The subjects the spoke's hub announced over its one leaf connection, as the spoke's /leafz?subs=1 lists them. */
    @SuppressWarnings("unchecked")
    private static List<String> announcedByHub(int spokeHttp) {
        List<Map<String, Object>> leafs = Leafz.leafs(spokeHttp, "?subs=1");
        assertEquals(1, leafs.size(), "the spoke has one leaf connection");
        Object list = leafs.get(0).get("subscriptions_list");
        return list == null ? List.of() : (List<String>) list;
    }

    /** The spoke cluster S (S1 the leaf of H1, S2 of H2) and a client on each of the four servers. */
    @SuppressWarnings("try") // an empty body: the resources are only closed
    private record Spokes(Ours s1, Ours s2, Connection onS1, Connection onS2, Connection onH1, Connection onH2)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            try (s1; s2; onS1; onS2; onH1; onH2) {
                // closed in reverse: the clients, then the spoke servers
            }
        }
    }

    /** Starts S1 and S2 routed to each other, each the leaf of its hub server, and waits for both leaf connections. */
    private Spokes spokes(Hub h1, Hub h2) throws Exception {
        int s1Route = Ports.free();
        int s2Route = Ports.free();
        Ours s1 = Ours.start(dir, "S1", spoke(s1Route, s2Route, h1));
        Ours s2 = null;
        Connection[] clients = new Connection[4];
        try {
            s2 = Ours.start(dir, "S2", spoke(s2Route, s1Route, h2));
            String[] urls = {s1.clientUrl(), s2.clientUrl(), h1.clientUrl(), h2.clientUrl()};
            for (int i = 0; i < urls.length; i++) {
                clients[i] = Messaging.connect(urls[i]);
            }
            Leafz.await(WAIT, 1, h1.httpPort());
            Leafz.await(WAIT, 1, h2.httpPort());
            return new Spokes(s1, s2, clients[0], clients[1], clients[2], clients[3]);
        } catch (Exception e) {
            for (Connection c : clients) {
                if (c != null) {
                    c.close();
                }
            }
            if (s2 != null) {
                s2.close();
            }
            s1.close();
            throw e;
        }
    }

    private static String spoke(int route, int otherRoute, Hub hub) {
        return "cluster { name: S, listen: 127.0.0.1:" + route + ", routes: [\"nats-route://127.0.0.1:" + otherRoute
                + "\"] }\nleafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:" + hub.leafPort() + "\"}] }";
    }

    /** What a subscriber receives until nothing more comes for 500 ms (after at most ten seconds in all). */
    private static Map<String, Integer> drain(Subscription s) throws InterruptedException {
        Map<String, Integer> got = new HashMap<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Message m = s.nextMessage(Duration.ofMillis(500));
            if (m == null) {
                break;
            }
            got.merge(new String(m.getData(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        return got;
    }
}
