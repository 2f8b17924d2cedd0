package nats.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Subscription;
import nats.cluster.testing.GoNode;
import nats.cluster.testing.Node;
import nats.cluster.testing.Ports;
import nats.testing.Clients;
import nats.testing.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Route authentication, TLS on routes, and the import/export permissions of a cluster, with Go as the reference. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RouteSecurityTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void routesAuthenticateWithTheUrlsCredentialsAndAWrongPasswordIsRefused() throws Exception {
        String auth = "authorization { user: ruser, password: rpass }";
        int seedPort = Ports.free();
        try (Node seed = Node.start(dir, "A", seedPort, "name: s, " + auth, "");
             Node good = Node.start(dir, "B", Ports.free(), "name: s, " + auth
                     + ", routes: [\"nats-route://ruser:rpass@127.0.0.1:" + seedPort + "\"]", "");
             Node bad = Node.start(dir, "C", Ports.free(), "name: s, " + auth
                     + ", routes: [\"nats-route://ruser:wrong@127.0.0.1:" + seedPort + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 1, seed.httpPort, good.httpPort);
            Thread.sleep(1500);
            // The dialling side registers on the seed's INFO before the seed's -ERR arrives (as Go does), so a
            // refused route may show for a moment: the seed never has it, and the bad server ends up without.
            assertEquals(List.of(good.serverId()), Monitor.remoteIds(seed.httpPort), "the seed kept only the authenticated route");
            Monitor.await(WAIT, "the wrong password holds no route", () -> bad.routes() == 0);
            Clients.assertPubSub(seed.clientUrl(), good.clientUrl(), "auth.ok");
        }
    }

    @Test
    void oursAndGoAuthenticateEachOther() throws Exception {
        GoNode.assumeAvailable();
        String auth = "authorization { user: ruser, password: rpass }";
        int goCluster = Ports.free();
        try (GoNode go = GoNode.start(dir, "G", goCluster, "name: s, " + auth, "");
             Node ours = Node.start(dir, "J", Ports.free(), "name: s, " + auth
                     + ", routes: [\"nats-route://ruser:rpass@127.0.0.1:" + goCluster + "\"]", "");
             GoNode go2 = GoNode.start(dir, "G2", Ports.free(), "name: s, " + auth
                     + ", routes: [\"nats-route://ruser:rpass@127.0.0.1:" + ours.clusterPort + "\"]", "")) {
            // G2 dials ours with credentials; ours and G2 learn each other's peers and dial them with the cluster's.
            Monitor.awaitRoutes(WAIT, 2, go.httpPort, ours.httpPort, go2.httpPort);
            Clients.assertPubSub(go2.clientUrl(), go.clientUrl(), "auth.mixed");
        }
    }

    @Test
    void tlsRoutesBetweenOursAndGo() throws Exception {
        GoNode.assumeAvailable();
        Path tls = tlsFiles();
        String block = "tls { cert_file: \"" + tls.resolve("route-cert.pem") + "\", key_file: \""
                + tls.resolve("route-key.pem") + "\", ca_file: \"" + tls.resolve("ca.pem") + "\", verify: true }";
        try (Node seed = Node.start(dir, "A", Ports.free(), "name: t, " + block, "");
             GoNode go = GoNode.start(dir, "G", Ports.free(), "name: t, " + block + ", routes: [\"nats-route://localhost:"
                     + seed.clusterPort + "\"]", "");
             Node ours = Node.start(dir, "B", Ports.free(), "name: t, " + block + ", routes: [\"nats-route://localhost:"
                     + seed.clusterPort + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 2, seed.httpPort, go.httpPort, ours.httpPort);
            Clients.assertPubSub(go.clientUrl(), ours.clientUrl(), "tls.go.ours");
            Clients.assertPubSub(ours.clientUrl(), seed.clientUrl(), "tls.ours.ours");
            assertEquals(Boolean.TRUE, ((java.util.Map<?, ?>) Monitor.get(seed.httpPort, "/varz").get("cluster"))
                    .get("tls_required"), "/varz shows TLS on routes");
            assertTrue(go.log().contains("TLS handshake complete") || go.log().contains("TLS"),
                    "Go ran TLS on its routes");
        }
    }

    @Test
    void aPlainRouteToATlsClusterIsRefused() throws Exception {
        Path tls = tlsFiles();
        String block = "tls { cert_file: \"" + tls.resolve("route-cert.pem") + "\", key_file: \""
                + tls.resolve("route-key.pem") + "\", ca_file: \"" + tls.resolve("ca.pem") + "\", verify: true }";
        try (Node seed = Node.start(dir, "A", Ports.free(), "name: t, " + block, "");
             Node plain = Node.start(dir, "P", Ports.free(), "name: t, routes: [\"" + seed.routeUrl() + "\"]", "")) {
            Thread.sleep(2000);
            assertEquals(0, seed.routes(), "no route without TLS");
            assertEquals(0, plain.routes(), "the plain server has no route either");
        }
    }

    /**
     * {@code permissions { import, export }} on the seed: interest it may import is announced, messages it may
     * export are forwarded; the rest stays local. The same scenario runs on a Go pair, with the same outcome.
     */
    @Test
    void importAndExportPermissionsFilterInterestAsGoDoes() throws Exception {
        String perms = "permissions { import: { allow: [\"in.>\"] }, export: { allow: [\"out.>\"] } }";
        boolean[] ours;
        try (Node a = Node.start(dir, "A", Ports.free(), "name: p, " + perms, "");
             Node b = Node.start(dir, "B", Ports.free(), "name: p, routes: [\"" + a.routeUrl() + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 1, a.httpPort, b.httpPort);
            ours = permissionOutcomes(a.clientUrl(), b.clientUrl());
        }
        assertTrue(ours[0], "B's message on in.x reaches A, which imports in.>");
        assertTrue(!ours[1], "B's message on notin.x does not reach A");
        assertTrue(ours[2], "A's message on out.y reaches B, as A exports out.>");
        assertTrue(!ours[3], "A's message on notout.y does not reach B");
        if (Files.isExecutable(GoNode.BINARY)) {
            try (GoNode a = GoNode.start(dir, "GA", Ports.free(), "name: p, " + perms, "");
                 GoNode b = GoNode.start(dir, "GB", Ports.free(), "name: p, routes: [\"" + a.routeUrl() + "\"]", "")) {
                Monitor.awaitRoutes(WAIT, 1, a.httpPort, b.httpPort);
                boolean[] go = permissionOutcomes(a.clientUrl(), b.clientUrl());
                assertEquals(java.util.Arrays.toString(go), java.util.Arrays.toString(ours), "the same as Go");
            }
        }
    }

    /** Which of four messages crossed: B to A on in.x and notin.x, A to B on out.y and notout.y. */
    private static boolean[] permissionOutcomes(String aUrl, String bUrl) throws Exception {
        try (Connection a = Clients.connect(aUrl); Connection b = Clients.connect(bUrl)) {
            Subscription aIn = a.subscribe("in.x");
            Subscription aNotIn = a.subscribe("notin.x");
            Subscription bOut = b.subscribe("out.y");
            Subscription bNotOut = b.subscribe("notout.y");
            a.flush(Duration.ofSeconds(2));
            b.flush(Duration.ofSeconds(2));
            // A marker the permissions allow both ways shows when interest has settled.
            Subscription marker = a.subscribe("in.marker");
            a.flush(Duration.ofSeconds(2));
            Clients.awaitInterest(b, "in.marker", marker);
            Subscription marker2 = b.subscribe("out.marker");
            b.flush(Duration.ofSeconds(2));
            Clients.awaitInterest(a, "out.marker", marker2);
            b.publish("in.x", "1".getBytes(StandardCharsets.UTF_8));
            b.publish("notin.x", "2".getBytes(StandardCharsets.UTF_8));
            a.publish("out.y", "3".getBytes(StandardCharsets.UTF_8));
            a.publish("notout.y", "4".getBytes(StandardCharsets.UTF_8));
            a.flush(Duration.ofSeconds(2));
            b.flush(Duration.ofSeconds(2));
            return new boolean[] {aIn.nextMessage(Duration.ofSeconds(2)) != null,
                aNotIn.nextMessage(Duration.ofMillis(500)) != null, bOut.nextMessage(Duration.ofSeconds(2)) != null,
                bNotOut.nextMessage(Duration.ofMillis(500)) != null};
        }
    }

    private Path tlsFiles() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("tls"));
        for (String name : new String[] {"ca.pem", "route-cert.pem", "route-key.pem"}) {
            try (var in = getClass().getResourceAsStream("/tls/" + name)) {
                assertNotNull(in, "test resource " + name);
                Files.write(tls.resolve(name), in.readAllBytes());
            }
        }
        return tls;
    }
}
