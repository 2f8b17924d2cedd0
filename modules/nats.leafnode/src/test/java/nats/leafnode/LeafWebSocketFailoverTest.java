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

    @Test
    void ourHubsListTheOtherServersWebSocketUrl() throws Exception {
        int r1 = Ports.free();
        int r2 = Ports.free();
        int ws1 = Ports.free();
        int ws2 = Ports.free();
        try (Ours h1 = Ours.start(dir, "H1", hubBody(r1, r2, ws1));
             Ours h2 = Ours.start(dir, "H2", hubBody(r2, r1, ws2))) {
            Monitor.await(WAIT, "H1 and H2 routed", () -> Monitor.routeConnections(h1.httpPort) == 1);
            Monitor.await(WAIT, "H1's leafnode INFO names H2's websocket URL",
                    () -> List.of("127.0.0.1:" + ws2).equals(wsConnectUrls(h1.leafPort)));
            assertEquals(List.of("127.0.0.1:" + ws1), wsConnectUrls(h2.leafPort), "H2's names H1's");
        }
    }

    @Test
    void goHubsListTheOtherServersWebSocketUrl() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        int r1 = Ports.free();
        int r2 = Ports.free();
        int ws1 = Ports.free();
        int ws2 = Ports.free();
        int leaf1 = Ports.free();
        int leaf2 = Ports.free();
        int http1 = Ports.free();
        try (GoServer g1 = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:" + http1 + "\n"
                + hubBody(r1, r2, ws1).replace("%LEAF%", Integer.toString(leaf1)));
             GoServer g2 = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\n"
                     + hubBody(r2, r1, ws2).replace("%LEAF%", Integer.toString(leaf2)))) {
            Monitor.await(WAIT, "G1 and G2 routed", () -> Monitor.routeConnections(http1) == 1);
            Monitor.await(WAIT, "G1's leafnode INFO names G2's websocket URL (the oracle)",
                    () -> List.of("127.0.0.1:" + ws2).equals(wsConnectUrls(leaf1)));
        }
    }

    @Test
    void ourLeafMovesToTheOtherServerOfOurHubClusterOverWebSocket() throws Exception {
        int r1 = Ports.free();
        int r2 = Ports.free();
        int ws1 = Ports.free();
        int ws2 = Ports.free();
        try (Ours h1 = Ours.start(dir, "H1", hubBody(r1, r2, ws1));
             Ours h2 = Ours.start(dir, "H2", hubBody(r2, r1, ws2))) {
            Monitor.await(WAIT, "H1 and H2 routed", () -> Monitor.routeConnections(h1.httpPort) == 1);
            try (Ours leaf = Ours.start(dir, "LEAF", wsLeaf(ws1))) {
                Leafz.await(WAIT, 1, h1.httpPort, leaf.httpPort);
                h1.close();
                Monitor.await(WAIT, "the leaf dialled H2's websocket URL, learnt from H1's INFO",
                        () -> Leafz.count(h2.httpPort) == 1 && Leafz.count(leaf.httpPort) == 1);
            }
        }
    }

    @Test
    void aGoLeafMovesToTheOtherServerOfOurHubClusterOverWebSocket() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        int r1 = Ports.free();
        int r2 = Ports.free();
        int ws1 = Ports.free();
        int ws2 = Ports.free();
        try (Ours h1 = Ours.start(dir, "H1", hubBody(r1, r2, ws1));
             Ours h2 = Ours.start(dir, "H2", hubBody(r2, r1, ws2))) {
            Monitor.await(WAIT, "H1 and H2 routed", () -> Monitor.routeConnections(h1.httpPort) == 1);
            Monitor.await(WAIT, "H1 knows H2's websocket URL",
                    () -> List.of("127.0.0.1:" + ws2).equals(wsConnectUrls(h1.leafPort)));
            try (GoServer leaf = GoServer.start(dir, p -> "listen: 127.0.0.1:" + p + "\n" + wsLeaf(ws1) + "\n")) {
                Leafz.await(WAIT, 1, h1.httpPort);
                h1.close();
                Monitor.await(WAIT, "the Go leaf dialled H2's websocket URL, learnt from our INFO",
                        () -> Leafz.count(h2.httpPort) == 1);
            }
        }
    }

    @Test
    void ourLeafMovesToTheOtherServerOfAGoHubClusterOverWebSocket() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        int r1 = Ports.free();
        int r2 = Ports.free();
        int ws1 = Ports.free();
        int ws2 = Ports.free();
        int http1 = Ports.free();
        int http2 = Ports.free();
        int leaf1 = Ports.free();
        int leaf2 = Ports.free();
        try (GoServer g1 = GoServer.start(dir, p -> "server_name: G1\nlisten: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:"
                + http1 + "\n" + hubBody(r1, r2, ws1).replace("%LEAF%", Integer.toString(leaf1)));
             GoServer g2 = GoServer.start(dir, p -> "server_name: G2\nlisten: 127.0.0.1:" + p + "\nhttp: 127.0.0.1:"
                     + http2 + "\n" + hubBody(r2, r1, ws2).replace("%LEAF%", Integer.toString(leaf2)))) {
            Monitor.await(WAIT, "G1 and G2 routed", () -> Monitor.routeConnections(http2) == 1);
            Monitor.await(WAIT, "G1 knows G2's websocket URL",
                    () -> List.of("127.0.0.1:" + ws2).equals(wsConnectUrls(leaf1)));
            try (Ours leaf = Ours.start(dir, "LEAF", wsLeaf(ws1))) {
                Leafz.await(WAIT, 1, leaf.httpPort);
                g1.close();
                Monitor.await(WAIT, "our leaf dialled G2's websocket URL, learnt from Go's INFO",
                        () -> Leafz.count(http2) == 1 && Leafz.count(leaf.httpPort) == 1);
            }
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
