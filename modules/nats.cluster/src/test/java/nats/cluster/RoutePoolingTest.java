package nats.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.cluster.testing.GoNode;
import nats.cluster.testing.Node;
import nats.cluster.testing.Ports;
import nats.testing.Clients;
import nats.testing.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go 2.10's route pooling, pinned accounts and compression, negotiated through route INFO: between two of our
 * servers (a pool of connections, an account's interest and messages on its own pool slot, a pinned account on
 * its own connection, S2-compressed streams) and with Go 2.9.10, which announces none of it and gets one plain
 * route, as a Go 2.10 server gives it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RoutePoolingTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final List<String> ACCOUNT_NAMES = List.of("A", "B", "C", "D", "E", "PIN");
    private static final String ACCOUNTS;

    static {
        StringBuilder sb = new StringBuilder("accounts {\n");
        for (String a : ACCOUNT_NAMES) {
            String user = a.toLowerCase(java.util.Locale.ROOT);
            sb.append("  ").append(a).append(" { users [{user: ").append(user).append(", password: ").append(user)
                    .append("}] }\n");
        }
        ACCOUNTS = sb.append("}\n").toString();
    }

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> routez(int httpPort, String query) {
        return (List<Map<String, Object>>) Monitor.get(httpPort, "/routez" + query).get("routes");
    }

    @Test
    void aPoolAndPinnedAccountsBetweenOurServers() throws Exception {
        String cluster = "name: pool, pool_size: 3, accounts: [PIN], compression: accept";
        try (Node a = Node.start(dir, "A", Ports.free(), cluster, ACCOUNTS);
             Node b = Node.start(dir, "B", Ports.free(), cluster + ", routes: [\"" + a.routeUrl() + "\"]", ACCOUNTS)) {
            // Three pooled connections, one for PIN and one for the system account (Go pins it by default).
            for (Node n : List.of(a, b)) {
                Monitor.await(WAIT, "5 route connections on " + n.name, () -> Monitor.routeConnections(n.httpPort) == 5);
            }
            List<Map<String, Object>> routes = routez(a.httpPort, "");
            assertEquals(List.of("$SYS", "PIN"), routes.stream().filter(r -> r.containsKey("account"))
                    .map(r -> (String) r.get("account")).sorted().toList(), "the pinned routes name their account");
            assertEquals(3, routes.stream().filter(r -> !r.containsKey("account")).count(), "three pooled routes");
            routes.forEach(r -> assertEquals("off", r.get("compression"), "accept on both sides: no compression " + r));
            assertEquals(3, ((Map<String, Object>) Monitor.get(a.httpPort, "/varz").get("cluster")).get("pool_size") instanceof Number n
                    ? n.intValue() : -1, "/varz cluster pool_size");

            // Each account's messages flow both ways and stay in their account.
            List<String> subjects = new ArrayList<>();
            for (String account : ACCOUNT_NAMES) {
                String subject = "pool.same." + System.nanoTime();
                subjects.add(subject);
                assertFlowInAccount(a.port, b.port, account, subject);
                assertFlowInAccount(b.port, a.port, account, subject);
            }
            // While subscribed, the interest sits on the account's own connection: PIN's on its pinned route,
            // the others spread over the pool (FNV-1a of the name, as Go).
            try (Connection pin = user(b.port, "pin"); Connection c1 = user(b.port, "a"); Connection c2 = user(b.port, "b");
                 Connection c3 = user(b.port, "c"); Connection c4 = user(b.port, "d"); Connection c5 = user(b.port, "e")) {
                for (Connection c : List.of(pin, c1, c2, c3, c4, c5)) {
                    c.subscribe("watch.me");
                    c.flush(Duration.ofSeconds(2));
                }
                Monitor.await(WAIT, "six accounts' interest on A's routes", () -> routez(a.httpPort, "?subs=1").stream()
                        .filter(r -> r.get("subscriptions_list") instanceof List<?> l && l.contains("watch.me"))
                        .mapToLong(r -> ((List<?>) r.get("subscriptions_list")).stream().filter("watch.me"::equals)
                                .count()).sum() == 6);
                List<Map<String, Object>> withSubs = routez(a.httpPort, "?subs=1");
                Map<String, Object> pinRoute = withSubs.stream().filter(r -> "PIN".equals(r.get("account"))).findFirst()
                        .orElseThrow();
                assertEquals(List.of("watch.me"), pinRoute.get("subscriptions_list"), "PIN's interest on its own route");
                long pooledCarrying = withSubs.stream().filter(r -> !r.containsKey("account"))
                        .filter(r -> r.get("subscriptions_list") instanceof List<?> l && l.contains("watch.me")).count();
                assertTrue(pooledCarrying >= 2, "five accounts spread over more than one pooled connection: " + withSubs);
            }
        }
    }

    @Test
    void compressedRoutesCarryEverythingIntact() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: zip, pool_size: 3, compression: s2_fast", "");
             Node b = Node.start(dir, "B", Ports.free(), "name: zip, pool_size: 3, compression: accept, routes: [\""
                     + a.routeUrl() + "\"]", "");
             Node c = Node.start(dir, "C", Ports.free(), "name: zip, pool_size: 3, compression: {mode: s2_auto}, routes: [\""
                     + a.routeUrl() + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 2, a.httpPort, b.httpPort, c.httpPort);
            for (Node n : List.of(a, b, c)) {
                Monitor.await(WAIT, "8 route connections on " + n.name, () -> Monitor.routeConnections(n.httpPort) == 8);
            }
            // A compresses (s2_fast); B accepts what A asks. C (s2_auto) picks its level from how long the handshake
            // took (Go's first guess at the round trip): on loopback uncompressed S2 frames, or s2_fast when the
            // handshake took over 10 ms; B (accept) answers auto with s2_fast, as Go does.
            assertCompression(b, a.serverId(), "s2_fast");
            assertCompression(a, b.serverId(), "s2_fast");
            assertCompression(a, c.serverId(), "s2_fast");
            assertCompression(b, c.serverId(), "s2_fast");
            for (String peer : List.of(a.serverId(), b.serverId())) {
                List<Object> levels = routez(c.httpPort, "").stream().filter(r -> peer.equals(r.get("remote_id")))
                        .map(r -> r.get("compression")).toList();
                // Which level depends on how long the handshake took: a loaded machine takes over 50 or 100 ms.
                assertTrue(!levels.isEmpty() && List.of("s2_uncompressed", "s2_fast", "s2_better", "s2_best")
                        .containsAll(levels), "C's s2_auto levels: " + levels);
            }
            for (Node[] pair : new Node[][] {{a, b}, {b, a}, {a, c}, {c, b}}) {
                Clients.assertPubSub(pair[0].clientUrl(), pair[1].clientUrl(), "zip.ps." + pair[0].name + pair[1].name);
                Clients.assertRequestReply(pair[0].clientUrl(), pair[1].clientUrl(), "zip.rr." + pair[0].name + pair[1].name);
            }
            Clients.assertBurst(a.clientUrl(), b.clientUrl(), "zip.burst.1", 3000, 2000);
            Clients.assertBurst(b.clientUrl(), a.clientUrl(), "zip.burst.2", 3000, 2000);
            Clients.assertBurst(c.clientUrl(), a.clientUrl(), "zip.burst.3", 1000, 700);
        }
    }

    @Test
    void unconfiguredRoutesAreGo29s() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: plain", "");
             Node b = Node.start(dir, "B", Ports.free(), "name: plain, routes: [\"" + a.routeUrl() + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 1, a.httpPort, b.httpPort);
            for (Node n : List.of(a, b)) {
                assertEquals(1, Monitor.routeConnections(n.httpPort), "one route per peer, as Go 2.9.10, on " + n.name);
                routez(n.httpPort, "").forEach(r -> assertTrue(!r.containsKey("compression") && !r.containsKey("account"),
                        "no Go 2.10 fields: " + r));
                assertFalse(((Map<?, ?>) Monitor.get(n.httpPort, "/varz").get("cluster")).containsKey("pool_size"),
                        "no pool_size in /varz");
            }
            Clients.assertPubSub(a.clientUrl(), b.clientUrl(), "plain.ps");
        }
    }

    @Test
    void aGo29PeerGetsOnePlainRoute() throws Exception {
        GoNode.assumeAvailable();
        String ours = "name: mixed, pool_size: 3, accounts: [PIN], compression: s2_fast";
        try (GoNode go = GoNode.start(dir, "G", Ports.free(), "name: mixed", ACCOUNTS);
             Node j = Node.start(dir, "J", Ports.free(), ours + ", routes: [\"" + go.routeUrl() + "\"]", ACCOUNTS);
             Node k = Node.start(dir, "K", Ports.free(), ours + ", routes: [\"" + go.routeUrl() + "\"]", ACCOUNTS);
             GoNode go2 = GoNode.start(dir, "G2", Ports.free(), "name: mixed, routes: [\"" + k.routeUrl() + "\"]",
                     ACCOUNTS)) {
            Monitor.awaitRoutes(WAIT, 3, go.httpPort, j.httpPort, k.httpPort, go2.httpPort);
            // Ours with ours: pooled, pinned and compressed; ours with Go 2.9: one route, nothing negotiated.
            Monitor.await(WAIT, "J's pool to K", () -> connectionsTo(j, k.serverId()) == 5);
            for (Node n : List.of(j, k)) {
                for (String goId : List.of(go.serverId(), go2.serverId())) {
                    assertEquals(1, connectionsTo(n, goId), n.name + " has one route to a Go 2.9 server");
                    assertCompression(n, goId, "not supported");
                }
            }
            assertCompression(j, k.serverId(), "s2_fast");
            for (String account : List.of("A", "PIN", "E")) {
                String subject = "mixed." + account + "." + System.nanoTime();
                assertFlowInAccount(go.port, k.port, account, subject);
                assertFlowInAccount(k.port, go2.port, account, subject);
                assertFlowInAccount(go2.port, j.port, account, subject);
                assertFlowInAccount(j.port, go.port, account, subject);
            }
            for (GoNode g : List.of(go, go2)) {
                List<String> errors = g.log().lines().filter(l -> l.contains("[ERR]")).toList();
                assertEquals(List.of(), errors, g.name + " (Go 2.9.10) logged no errors");
            }
        }
    }

    @Test
    void aPeerWithAnotherPoolSizeOrAnUnknownPinnedAccountIsRefusedWithGosErrors() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: p, pool_size: 3", "")) {
            assertEquals("-ERR 'Mismatch route pool size: 3 vs 2'",
                    rawRoute(a.clusterPort, "\"route_pool_size\":2"), "Go's refusal of another pool size");
            assertEquals("-ERR 'No route for account \"NOPE\"'",
                    rawRoute(a.clusterPort, "\"route_pool_size\":3,\"route_account\":\"NOPE\""),
                    "Go's refusal of an account this server does not pin");
            assertEquals(0, Monitor.routes(a.httpPort), "neither was registered");
        }
    }

    /** Dials the route port as a Go 2.10 server would (CONNECT, then INFO with {@code fields}); the first -ERR. */
    private static String rawRoute(int port, String fields) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            String id = "NRAW" + System.nanoTime();
            s.getOutputStream().write(("CONNECT {\"verbose\":false,\"headers\":true,\"name\":\"" + id
                    + "\",\"cluster\":\"p\"}\r\nINFO {\"server_id\":\"" + id + "\",\"server_name\":\"raw\","
                    + "\"cluster\":\"p\",\"headers\":true,\"proto\":1,\"compression\":\"off\"," + fields
                    + "}\r\n").getBytes(StandardCharsets.US_ASCII));
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    StandardCharsets.US_ASCII));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("-ERR")) {
                    return line;
                }
            }
            return "closed without -ERR";
        }
    }

    private static long connectionsTo(Node n, String serverId) {
        return routez(n.httpPort, "").stream().filter(r -> serverId.equals(r.get("remote_id"))).count();
    }

    private static void assertCompression(Node n, String peerId, String expected) {
        List<Object> modes = routez(n.httpPort, "").stream().filter(r -> peerId.equals(r.get("remote_id")))
                .map(r -> r.get("compression")).distinct().toList();
        assertEquals(List.of(expected), modes, n.name + "'s compression with " + peerId);
    }

    /** A message in {@code account} published at one server reaches a subscriber of that account at the other. */
    private static void assertFlowInAccount(int pubPort, int subPort, String account, String subject) throws Exception {
        String user = account.toLowerCase(java.util.Locale.ROOT);
        String other = account.equals("A") ? "b" : "a";
        try (Connection pub = user(pubPort, user); Connection sub = user(subPort, user);
             Connection foreign = user(subPort, other)) {
            Subscription s = sub.subscribe(subject);
            Subscription f = foreign.subscribe(subject);
            sub.flush(Duration.ofSeconds(2));
            foreign.flush(Duration.ofSeconds(2));
            Clients.awaitInterest(pub, subject, s);
            pub.publish(subject, "r." + subject, ("in " + account).getBytes(StandardCharsets.UTF_8));
            pub.flush(Duration.ofSeconds(2));
            Message m = s.nextMessage(WAIT);
            assertNotNull(m, account + ": the message crosses the route");
            assertEquals("in " + account, new String(m.getData(), StandardCharsets.UTF_8), account + ": payload");
            assertEquals("r." + subject, m.getReplyTo(), account + ": reply");
            assertNull(f.nextMessage(Duration.ofMillis(200)), account + ": another account's subscriber gets nothing");
        }
    }

    private static Connection user(int port, String user) throws Exception {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port).userInfo(user, user)
                .connectionTimeout(Duration.ofSeconds(5)).build());
    }
}
