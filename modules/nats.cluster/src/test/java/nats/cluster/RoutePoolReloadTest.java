package nats.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.cluster.testing.Node;
import nats.cluster.testing.Ports;
import nats.testing.Clients;
import nats.testing.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go 2.10's reload of {@code pool_size}, pinned {@code accounts} and {@code compression} between two of our servers:
 * the routes are made again with the new pool, pinning and compression, and a subscriber that was there before the
 * reload (not subscribing again) still gets what is published at the other server afterwards.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RoutePoolReloadTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String ACCOUNTS = "accounts {\n  PIN { users [{user: pin, password: pin}] }\n"
            + "  OTHER { users [{user: other, password: other}] }\n}\n";

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> routez(int httpPort) {
        return (List<Map<String, Object>>) Monitor.get(httpPort, "/routez").get("routes");
    }

    private static Connection user(Node n, String user) throws Exception {
        return Nats.connect(new Options.Builder().server(n.clientUrl()).userInfo(user, user)
                .connectionTimeout(Duration.ofSeconds(5)).build());
    }

    /** The subscriber made before the reloads still gets a message published at the other server. */
    private static void assertStillDelivered(Connection pub, Subscription sub, String what) throws Exception {
        Clients.awaitInterest(pub, sub.getSubject(), sub);
        pub.publish(sub.getSubject(), what.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        pub.flush(Duration.ofSeconds(2));
        assertNotNull(sub.nextMessage(WAIT), what);
    }

    private static void awaitConnections(int count, Node... nodes) {
        for (Node n : nodes) {
            Monitor.await(WAIT, count + " route connections on " + n.name,
                    () -> Monitor.routeConnections(n.httpPort) == count);
        }
    }

    @Test
    void aNewPoolSizeRepoolsTheRoutesAndKeepsInterest() throws Exception {
        String cluster = "name: rp, pool_size: 2";
        try (Node a = Node.start(dir, "A", Ports.free(), cluster, ACCOUNTS);
             Node b = Node.start(dir, "B", Ports.free(), cluster + ", routes: [\"" + a.routeUrl() + "\"]", ACCOUNTS);
             Connection pub = user(a, "other"); Connection subConn = user(b, "other")) {
            awaitConnections(3, a, b);
            Subscription sub = subConn.subscribe("repool.x");
            subConn.flush(Duration.ofSeconds(2));
            assertStillDelivered(pub, sub, "before the reload");
            a.reload("name: rp, pool_size: 4", ACCOUNTS);
            b.reload("name: rp, pool_size: 4, routes: [\"" + a.routeUrl() + "\"]", ACCOUNTS);
            // Four pooled connections and the system account's own.
            awaitConnections(5, a, b);
            @SuppressWarnings("unchecked")
            Map<String, Object> varz = (Map<String, Object>) Monitor.get(a.httpPort, "/varz").get("cluster");
            assertEquals(4, ((Number) varz.get("pool_size")).intValue(), "/varz shows the new pool size");
            assertStillDelivered(pub, sub, "after the pool grew");
            a.reload("name: rp", ACCOUNTS);
            b.reload("name: rp, routes: [\"" + a.routeUrl() + "\"]", ACCOUNTS);
            // Pooling off: one route per peer, as Go 2.9.
            awaitConnections(1, a, b);
            assertTrue(routez(a.httpPort).stream().noneMatch(r -> r.containsKey("account")), "no pinned route");
            assertStillDelivered(pub, sub, "after pooling went off");
            a.reload("name: rp, pool_size: 2", ACCOUNTS);
            b.reload("name: rp, pool_size: 2, routes: [\"" + a.routeUrl() + "\"]", ACCOUNTS);
            awaitConnections(3, a, b);
            assertStillDelivered(pub, sub, "after pooling came back on");
        }
    }

    @Test
    void anAccountPinnedByAReloadMovesToItsOwnRouteAndBack() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: acc, pool_size: 2", ACCOUNTS);
             Node b = Node.start(dir, "B", Ports.free(), "name: acc, pool_size: 2, routes: [\"" + a.routeUrl() + "\"]",
                     ACCOUNTS);
             Connection pub = user(a, "pin"); Connection subConn = user(b, "pin");
             Connection otherPub = user(a, "other"); Connection otherSubConn = user(b, "other")) {
            awaitConnections(3, a, b);
            Subscription sub = subConn.subscribe("pinned.x");
            Subscription other = otherSubConn.subscribe("pooled.x");
            subConn.flush(Duration.ofSeconds(2));
            otherSubConn.flush(Duration.ofSeconds(2));
            assertStillDelivered(pub, sub, "before the reload");
            // Only A is reloaded: it tells B, which pins PIN too, and dials B (which dialled it) a route for PIN.
            a.reload("name: acc, pool_size: 2, accounts: [PIN]", ACCOUNTS);
            awaitConnections(4, a, b);
            for (Node n : List.of(a, b)) {
                Monitor.await(WAIT, n.name + " has a route for PIN", () -> routez(n.httpPort).stream()
                        .anyMatch(r -> "PIN".equals(r.get("account"))));
            }
            assertStillDelivered(pub, sub, "over PIN's own route, B not reloaded");
            assertStillDelivered(otherPub, other, "another account over the pool");
            b.reload("name: acc, pool_size: 2, accounts: [PIN], routes: [\"" + a.routeUrl() + "\"]", ACCOUNTS);
            Thread.sleep(300);
            awaitConnections(4, a, b);
            assertStillDelivered(pub, sub, "both reloaded");
            // PIN unpinned on both: its routes close for good, its interest goes over the pool again.
            a.reload("name: acc, pool_size: 2", ACCOUNTS);
            b.reload("name: acc, pool_size: 2, routes: [\"" + a.routeUrl() + "\"]", ACCOUNTS);
            awaitConnections(3, a, b);
            assertTrue(routez(a.httpPort).stream().noneMatch(r -> "PIN".equals(r.get("account"))), "no PIN route");
            assertStillDelivered(pub, sub, "PIN over the pool again");
            assertStillDelivered(otherPub, other, "the other account still over the pool");
        }
    }

    @Test
    void anAccountPinnedOnlyAtAPeersRequestGoesBackToThePoolWhenThatPeerUnpinsIt() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: back, pool_size: 2", ACCOUNTS);
             Node b = Node.start(dir, "B", Ports.free(), "name: back, pool_size: 2, routes: [\"" + a.routeUrl() + "\"]",
                     ACCOUNTS);
             Connection pub = user(a, "pin"); Connection subConn = user(b, "pin")) {
            awaitConnections(3, a, b);
            Subscription sub = subConn.subscribe("back.x");
            subConn.flush(Duration.ofSeconds(2));
            a.reload("name: back, pool_size: 2, accounts: [PIN]", ACCOUNTS);
            awaitConnections(4, a, b);
            assertStillDelivered(pub, sub, "over PIN's route");
            // B never had PIN in its configuration: A's refusal of B's try tells B to give PIN back to the pool.
            a.reload("name: back, pool_size: 2", ACCOUNTS);
            awaitConnections(3, a, b);
            Monitor.await(WAIT, "B has no PIN route", () -> routez(b.httpPort).stream()
                    .noneMatch(r -> "PIN".equals(r.get("account"))));
            assertStillDelivered(pub, sub, "B's interest over the pool again");
        }
    }

    @Test
    void inThreeServersThePeersThatWereToldDialEachOther() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: tri, pool_size: 2", ACCOUNTS);
             Node b = Node.start(dir, "B", Ports.free(), "name: tri, pool_size: 2, routes: [\"" + a.routeUrl() + "\"]",
                     ACCOUNTS);
             Node c = Node.start(dir, "C", Ports.free(), "name: tri, pool_size: 2, routes: [\"" + a.routeUrl() + "\", \""
                     + b.routeUrl() + "\"]", ACCOUNTS);
             Connection pubB = user(b, "pin"); Connection pubA = user(a, "pin"); Connection subConn = user(c, "pin")) {
            awaitConnections(6, a, b, c);
            Subscription sub = subConn.subscribe("tri.x");
            subConn.flush(Duration.ofSeconds(2));
            assertStillDelivered(pubB, sub, "B to C before the reload");
            // Only A pins PIN: B and C pin it at A's request, A dials both, and B and C dial each other.
            a.reload("name: tri, pool_size: 2, accounts: [PIN]", ACCOUNTS);
            awaitConnections(8, a, b, c);
            for (Node n : List.of(a, b, c)) {
                assertEquals(2, routez(n.httpPort).stream().filter(r -> "PIN".equals(r.get("account"))).count(),
                        n.name + " has a PIN route to each peer");
            }
            assertStillDelivered(pubB, sub, "B to C over their PIN route");
            assertStillDelivered(pubA, sub, "A to C over theirs");
        }
    }

    @Test
    void compressionChangedByAReloadIsNegotiatedAgainOrChangedInPlace() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: z, pool_size: 2, compression: s2_fast", "");
             Node b = Node.start(dir, "B", Ports.free(), "name: z, pool_size: 2, compression: s2_fast, routes: [\""
                     + a.routeUrl() + "\"]", "");
             Connection pub = Clients.connect(a.clientUrl()); Connection subConn = Clients.connect(b.clientUrl())) {
            awaitConnections(3, a, b);
            assertModes(List.of("s2_fast"), a, b);
            Subscription sub = subConn.subscribe("zip.x");
            subConn.flush(Duration.ofSeconds(2));
            assertStillDelivered(pub, sub, "compressed");
            // Between compressing levels the writer changes in place: same connections.
            List<Object> rids = rids(a);
            a.reload("name: z, pool_size: 2, compression: s2_best", "");
            assertModes(List.of("s2_best"), a);
            assertEquals(rids, rids(a), "the routes stayed");
            assertStillDelivered(pub, sub, "A writes s2_best, B reads it");
            // Off: negotiated again (A off, so off for both).
            a.reload("name: z, pool_size: 2, compression: off", "");
            Monitor.await(WAIT, "routes renegotiated without compression", () -> modes(a).equals(List.of("off"))
                    && modes(b).equals(List.of("off")) && Monitor.routeConnections(a.httpPort) == 3);
            assertStillDelivered(pub, sub, "uncompressed");
            // Back on: B still has s2_fast configured, so the routes A closes are negotiated compressed again, each
            // side writing its own level. B's reload then changes its writers in place; it waits for A's routes to
            // be back, as a handshake under way when B switches would keep the level B announced before.
            List<Object> offRids = rids(a);
            a.reload("name: z, pool_size: 2, compression: s2_better", "");
            Monitor.await(WAIT, "A's routes renegotiated with compression", () -> !rids(a).equals(offRids)
                    && Monitor.routeConnections(a.httpPort) == 3 && Monitor.routeConnections(b.httpPort) == 3
                    && modes(a).equals(List.of("s2_better")) && modes(b).equals(List.of("s2_fast")));
            b.reload("name: z, pool_size: 2, compression: s2_better, routes: [\"" + a.routeUrl() + "\"]", "");
            Monitor.await(WAIT, "B's writers at s2_better", () -> modes(a).equals(List.of("s2_better"))
                    && modes(b).equals(List.of("s2_better")) && Monitor.routeConnections(a.httpPort) == 3);
            assertStillDelivered(pub, sub, "compressed again");
            Clients.assertBurst(a.clientUrl(), b.clientUrl(), "zip.burst", 2000, 1000);
        }
    }

    @Test
    void withoutPoolingOrCompressionAReloadLeavesTheGo29RouteAlone() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: plain", "");
             Node b = Node.start(dir, "B", Ports.free(), "name: plain, routes: [\"" + a.routeUrl() + "\"]", "")) {
            awaitConnections(1, a, b);
            List<Object> rids = rids(a);
            a.reload("name: plain, no_advertise: true", "");
            b.reload("name: plain, no_advertise: true, routes: [\"" + a.routeUrl() + "\"]", "");
            Thread.sleep(300);
            assertEquals(rids, rids(a), "the one route stayed");
            assertTrue(routez(a.httpPort).stream().noneMatch(r -> r.containsKey("compression")),
                    "nothing about compression, as Go 2.9.10: " + routez(a.httpPort));
            Clients.assertPubSub(a.clientUrl(), b.clientUrl(), "plain.after");
        }
    }

    private static List<Object> rids(Node n) {
        return routez(n.httpPort).stream().map(r -> r.get("rid")).sorted((x, y) -> Long.compare(
                ((Number) x).longValue(), ((Number) y).longValue())).toList();
    }

    private static List<Object> modes(Node n) {
        return routez(n.httpPort).stream().map(r -> r.get("compression")).distinct().toList();
    }

    private static void assertModes(List<Object> expected, Node... nodes) {
        for (Node n : nodes) {
            assertEquals(expected, modes(n), n.name + "'s route compression");
        }
    }
}
