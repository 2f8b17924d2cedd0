package nats.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Subscription;
import nats.cluster.testing.Node;
import nats.cluster.testing.Ports;
import nats.server.options.ServerStartException;
import nats.testing.Clients;
import nats.testing.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reloading the cluster block as Go allows: routes added and removed, permissions changed, the port kept. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterReloadTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void routesAddedByAReloadAreDialledAndRemovedOnesClosedForGood() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: r", "");
             Node b = Node.start(dir, "B", Ports.free(), "name: r", "")) {
            Thread.sleep(500);
            assertEquals(0, b.routes(), "no route before the reload");
            b.reload("name: r, routes: [\"" + a.routeUrl() + "\"]", "");
            Monitor.awaitRoutes(WAIT, 1, a.httpPort, b.httpPort);
            Clients.assertPubSub(a.clientUrl(), b.clientUrl(), "reload.added");
            assertEquals(java.util.List.of("127.0.0.1:" + a.clusterPort),
                    ((Map<?, ?>) Monitor.get(b.httpPort, "/varz").get("cluster")).get("urls"), "/varz lists the route");
            b.reload("name: r", "");
            Monitor.awaitRoutes(WAIT, 0, a.httpPort, b.httpPort);
            Thread.sleep(2500);
            assertEquals(0, b.routes(), "a removed route is not reconnected");
        }
    }

    @Test
    void exportPermissionsChangedByAReloadTakeTheirInterestAway() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: p", "");
             Node b = Node.start(dir, "B", Ports.free(), "name: p, routes: [\"" + a.routeUrl() + "\"]", "");
             Connection pub = Clients.connect(a.clientUrl()); Connection subConn = Clients.connect(b.clientUrl())) {
            Monitor.awaitRoutes(WAIT, 1, a.httpPort, b.httpPort);
            Subscription sub = subConn.subscribe("secret.x");
            subConn.flush(Duration.ofSeconds(2));
            Clients.awaitInterest(pub, "secret.x", sub);
            a.reload("name: p, permissions { export: { deny: [\"secret.>\"] } }", "");
            Monitor.await(WAIT, "A drops B's interest it may no longer export",
                    () -> !Monitor.text(a.httpPort, "/routez?subs=1").contains("secret.x"));
            pub.publish("secret.x", "no".getBytes(StandardCharsets.UTF_8));
            pub.flush(Duration.ofSeconds(2));
            assertEquals(null, sub.nextMessage(Duration.ofMillis(500)), "nothing crosses the denied export");
            a.reload("name: p", "");
            // A sends B a new INFO; B answers with the interest A may take again (Go's updateRemoteRoutePerms).
            Monitor.await(WAIT, "B's interest is back on A",
                    () -> Monitor.text(a.httpPort, "/routez?subs=1").contains("secret.x"));
        }
    }

    @Test
    void theClusterPortCannotBeReloaded() throws Exception {
        int port = Ports.free();
        try (Node a = Node.start(dir, "B", port, "name: p", "")) {
            int other = Ports.free();
            ServerStartException e = assertThrows(ServerStartException.class, () -> reloadWithPort(a, other),
                    "a new cluster port is refused");
            assertEquals("config reload not supported for cluster port: old=" + port + ", new=" + other,
                    e.getMessage(), "Go's message");
            a.reload("name: p", "");
            assertTrue(Monitor.get(a.httpPort, "/varz").get("cluster") instanceof Map<?, ?>, "the same block reloads");
        }
    }

    private void reloadWithPort(Node node, int newPort) throws Exception {
        java.nio.file.Path file = dir.resolve(node.name + "-moved.conf");
        java.nio.file.Files.writeString(file, "server_name: " + node.name + "\nlisten: 127.0.0.1:" + node.port
                + "\nhttp: 127.0.0.1:" + node.httpPort + "\ncluster { listen: 127.0.0.1:" + newPort + ", name: p }\n");
        nats.server.options.ServerOptions options = new nats.server.options.ServerOptions();
        nats.server.ConfigFiles.load(file, options, true);
        node.server().reload(options);
    }
}
