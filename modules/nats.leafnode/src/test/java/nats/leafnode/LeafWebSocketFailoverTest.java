package nats.leafnode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import nats.leafnode.testing.Leafz;
import nats.leafnode.testing.Ours;
import nats.testing.GoServer;
import nats.testing.Monitor;
import nats.testing.Ports;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go's {@code ws_connect_urls} in the leafnode INFO: the servers of a hub cluster name their websocket URLs in route
 * INFO, each lists the others' in its leafnode INFO (not its own: Go's map holds the routes'), and a leaf whose
 * remote is {@code ws://} takes them as the servers it may dial (Go's updateLeafNodeURLs), so it moves to the other
 * server over WebSocket when its hub stops. A hub cluster of two of ours and of two Go 2.9.10 servers, with our leaf
 * and with a Go leaf.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LeafWebSocketFailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private static String hubBody(int route, int otherRoute, int ws) {
        return "cluster { name: H, listen: 127.0.0.1:" + route + ", routes: [\"nats-route://127.0.0.1:" + otherRoute
                + "\"] }\nleafnodes { listen: \"127.0.0.1:%LEAF%\" }\nwebsocket { listen: \"127.0.0.1:" + ws
                + "\", no_tls: true }";
    }

    private static String wsLeaf(int ws) {
        return "leafnodes { reconnect: 1, remotes: [{urls: [\"ws://127.0.0.1:" + ws + "\"]}] }";
    }

    /** Two of our hubs routed to each other, each with a leafnode and a websocket listener. */
    private record OurHubs(Ours h1, Ours h2, int ws1, int ws2) implements AutoCloseable {
        @Override
        public void close() {
            h1.close();
            h2.close();
        }
    }

    /** Two Go hubs routed to each other: G1's leafnode port and both monitoring ports are known. */
    private record GoHubs(GoServer g1, GoServer g2, int ws1, int ws2, int leaf1, int http2) implements AutoCloseable {
        @Override
        public void close() {
            g1.close();
            g2.close();
        }
    }

    private OurHubs ourHubs() throws Exception {
        int r1 = Ports.free();
        int r2 = Ports.free();
        int ws1 = Ports.free();
        int ws2 = Ports.free();
        Ours h1 = Ours.start(dir, "H1", hubBody(r1, r2, ws1));
        OurHubs hubs = new OurHubs(h1, Ours.start(dir, "H2", hubBody(r2, r1, ws2)), ws1, ws2);
        try {
            Monitor.await(WAIT, "H1 and H2 routed", () -> Monitor.routeConnections(h1.httpPort) == 1);
            Monitor.await(WAIT, "H1's leafnode INFO names H2's websocket URL",
                    () -> List.of("127.0.0.1:" + ws2).equals(wsConnectUrls(h1.leafPort)));
            return hubs;
        } catch (RuntimeException | Error e) {
            hubs.close();
            throw e;
        }
    }

    private GoHubs goHubs() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        int r1 = Ports.free();
        int r2 = Ports.free();
        int ws1 = Ports.free();
        int ws2 = Ports.free();
        int leaf1 = Ports.free();
        int leaf2 = Ports.free();
        int http2 = Ports.free();
        GoServer g1 = GoServer.start(dir, p -> "server_name: G1\nlisten: 127.0.0.1:" + p + "\n"
                + hubBody(r1, r2, ws1).replace("%LEAF%", Integer.toString(leaf1)));
        GoHubs hubs = new GoHubs(g1, GoServer.start(dir, p -> "server_name: G2\nlisten: 127.0.0.1:" + p
                + "\nhttp: 127.0.0.1:" + http2 + "\n" + hubBody(r2, r1, ws2).replace("%LEAF%", Integer.toString(leaf2))),
                ws1, ws2, leaf1, http2);
        try {
            Monitor.await(WAIT, "G1 and G2 routed", () -> Monitor.routeConnections(http2) == 1);
            Monitor.await(WAIT, "G1's leafnode INFO names G2's websocket URL (the oracle)",
                    () -> List.of("127.0.0.1:" + ws2).equals(wsConnectUrls(leaf1)));
            return hubs;
        } catch (RuntimeException | Error e) {
            hubs.close();
            throw e;
        }
    }

    @Test
    void ourHubsListTheOtherServersWebSocketUrl() throws Exception {
        try (OurHubs hubs = ourHubs()) {
            assertEquals(List.of("127.0.0.1:" + hubs.ws1()), wsConnectUrls(hubs.h2().leafPort), "H2's names H1's");
        }
    }

    @Test
    void goHubsListTheOtherServersWebSocketUrl() throws Exception {
        try (GoHubs hubs = goHubs()) {
            assertEquals(List.of("127.0.0.1:" + hubs.ws2()), wsConnectUrls(hubs.leaf1()), "G1 names G2's only");
        }
    }

    @Test
    void ourLeafMovesToTheOtherServerOfOurHubClusterOverWebSocket() throws Exception {
        try (OurHubs hubs = ourHubs(); Ours leaf = Ours.start(dir, "LEAF", wsLeaf(hubs.ws1()))) {
            Leafz.await(WAIT, 1, hubs.h1().httpPort, leaf.httpPort);
            hubs.h1().close();
            Monitor.await(WAIT, "the leaf dialled H2's websocket URL, learnt from H1's INFO",
                    () -> Leafz.count(hubs.h2().httpPort) == 1 && Leafz.count(leaf.httpPort) == 1);
        }
    }

    @Test
    void aGoLeafMovesToTheOtherServerOfOurHubClusterOverWebSocket() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        try (OurHubs hubs = ourHubs();
             GoServer leaf = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\n" + wsLeaf(hubs.ws1()) + "\n")) {
            Leafz.await(WAIT, 1, hubs.h1().httpPort);
            hubs.h1().close();
            Monitor.await(WAIT, "the Go leaf dialled H2's websocket URL, learnt from our INFO",
                    () -> Leafz.count(hubs.h2().httpPort) == 1);
        }
    }

    @Test
    void ourLeafMovesToTheOtherServerOfAGoHubClusterOverWebSocket() throws Exception {
        try (GoHubs hubs = goHubs(); Ours leaf = Ours.start(dir, "LEAF", wsLeaf(hubs.ws1()))) {
            Leafz.await(WAIT, 1, leaf.httpPort);
            hubs.g1().close();
            Monitor.await(WAIT, "our leaf dialled G2's websocket URL, learnt from Go's INFO",
                    () -> Leafz.count(hubs.http2()) == 1 && Leafz.count(leaf.httpPort) == 1);
        }
    }

    /** The {@code ws_connect_urls} of the INFO a leafnode port greets with (empty when absent). */
    private static List<Object> wsConnectUrls(int leafPort) {
        try (nats.testing.RawClient raw = nats.testing.RawClient.connect(leafPort)) {
            String line = raw.readLine(2000);
            Map<String, Object> info = nats.transport.json.Json.parseObject(line.substring("INFO ".length()));
            @SuppressWarnings("unchecked")
            List<Object> urls = (List<Object>) info.getOrDefault("ws_connect_urls", List.of());
            return urls;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
