package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Subscription;
import nats.leafnode.testing.Leafz;
import nats.leafnode.testing.Messaging;
import nats.leafnode.testing.Ours;
import nats.testing.GoServer;
import nats.testing.Monitor;
import nats.testing.Ports;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go's leafnode URL gossip: the servers of a hub cluster tell each other their leafnode URLs in route INFO, the
 * hub's leafnode INFO lists them all (again in an INFO of its own when a server joins or leaves), and a leaf dials
 * the ones it learnt when the server it was given goes away. Our hubs with our leaf and with a Go 2.9.10 leaf, and
 * a Go hub cluster with our leaf.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LeafUrlGossipTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private static String hubBody(int route, int otherRoute) {
        return "cluster { name: H, listen: 127.0.0.1:" + route + ", routes: [\"nats-route://127.0.0.1:" + otherRoute
                + "\"] }\nleafnodes { listen: \"127.0.0.1:%LEAF%\" }";
    }

    @Test
    void ourLeafHearsOfAServerThatJoinedLaterAndMovesToItWhenItsHubStops() throws Exception {
        int r1 = Ports.free();
        int r2 = Ports.free();
        try (Ours h1 = Ours.start(dir, "H1", hubBody(r1, r2))) {
            try (Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"" + h1.leafUrl("") + "\"}] }")) {
                Leafz.await(WAIT, 1, h1.httpPort, leaf.httpPort);
                // H2 joins after the leaf connected: H1's INFO of its own tells the leaf.
                try (Ours h2 = Ours.start(dir, "H2", hubBody(r2, r1))) {
                    Monitor.await(WAIT, "H1 and H2 routed", () -> Monitor.routeConnections(h1.httpPort) == 1);
                    Thread.sleep(300);
                    h1.close();
                    Monitor.await(WAIT, "the leaf connected to H2, which it was never given",
                            () -> Leafz.count(h2.httpPort) == 1 && Leafz.count(leaf.httpPort) == 1);
                    try (Connection onHub = Messaging.connect(h2.clientUrl());
                         Connection onLeaf = Messaging.connect(leaf.clientUrl())) {
                        Subscription sub = onHub.subscribe("after.failover");
                        onHub.flush(WAIT);
                        Messaging.awaitInterest(onLeaf, "after.failover", sub);
                        Messaging.assertFlow(onLeaf, "after.failover", sub, 100);
                    }
                }
            }
        }
    }

    @Test
    void ourHubsInfoListsEveryServerOfTheCluster() throws Exception {
        int r1 = Ports.free();
        int r2 = Ports.free();
        try (Ours h1 = Ours.start(dir, "H1", hubBody(r1, r2)); Ours h2 = Ours.start(dir, "H2", hubBody(r2, r1))) {
            Monitor.await(WAIT, "H1 and H2 routed", () -> Monitor.routeConnections(h1.httpPort) == 1);
            Monitor.await(WAIT, "H1's leafnode INFO names both servers", () -> leafnodeUrls(h1.leafPort).equals(
                    List.of("127.0.0.1:" + h1.leafPort, "127.0.0.1:" + h2.leafPort)));
            h2.close();
            Monitor.await(WAIT, "and only its own once H2 left", () -> leafnodeUrls(h1.leafPort).equals(
                    List.of("127.0.0.1:" + h1.leafPort)));
        }
    }

    @Test
    void aGoLeafMovesToTheOtherServerOfOurHubCluster() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        int r1 = Ports.free();
        int r2 = Ports.free();
        try (Ours h1 = Ours.start(dir, "H1", hubBody(r1, r2)); Ours h2 = Ours.start(dir, "H2", hubBody(r2, r1))) {
            Monitor.await(WAIT, "H1 and H2 routed", () -> Monitor.routeConnections(h1.httpPort) == 1);
            try (GoServer leaf = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nleafnodes { reconnect: 1, "
                    + "remotes: [{url: \"" + h1.leafUrl("") + "\"}] }\n")) {
                Leafz.await(WAIT, 1, h1.httpPort);
                h1.close();
                Monitor.await(WAIT, "the Go leaf connected to H2, learnt from our INFO",
                        () -> Leafz.count(h2.httpPort) == 1);
            }
        }
    }

    @Test
    void ourLeafMovesToTheOtherServerOfAGoHubCluster() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        int r1 = Ports.free();
        int r2 = Ports.free();
        int leaf1 = Ports.free();
        int leaf2 = Ports.free();
        int http2 = Ports.free();
        try (GoServer g1 = GoServer.start(dir, p -> "server_name: G1\nlisten: 127.0.0.1:" + p + "\n"
                + hubBody(r1, r2).replace("%LEAF%", Integer.toString(leaf1)));
             GoServer g2 = GoServer.start(dir, p -> "server_name: G2\nlisten: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:"
                     + http2 + "\n" + hubBody(r2, r1).replace("%LEAF%", Integer.toString(leaf2)))) {
            Monitor.await(WAIT, "G1 and G2 routed", () -> Monitor.routeConnections(http2) == 1);
            try (Ours leaf = Ours.start(dir, "LEAF", "leafnodes { remotes: [{url: \"nats-leaf://127.0.0.1:" + leaf1
                    + "\"}] }")) {
                Leafz.await(WAIT, 1, leaf.httpPort);
                g1.close();
                Monitor.await(WAIT, "our leaf connected to G2, learnt from Go's INFO",
                        () -> Leafz.count(http2) == 1 && Leafz.count(leaf.httpPort) == 1);
            }
        }
    }

    /** The {@code leafnode_urls} of the INFO a leafnode port greets with. */
    private static List<Object> leafnodeUrls(int leafPort) {
        try (nats.testing.RawClient raw = nats.testing.RawClient.connect(leafPort)) {
            String line = raw.readLine(2000);
            Map<String, Object> info = nats.transport.json.Json.parseObject(line.substring("INFO ".length()));
            @SuppressWarnings("unchecked")
            List<Object> urls = (List<Object>) info.get("leafnode_urls");
            return urls;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
