package nats.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Subscription;
import nats.cluster.testing.Node;
import nats.cluster.testing.Ports;
import nats.cluster.testing.ServerProcess;
import nats.testing.Clients;
import nats.testing.Monitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member of a three-server cluster as a child process: killed with SIGKILL and restarted, and paused with SIGSTOP
 * past the ping limit and resumed. The cluster keeps working without it and takes it back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessFaultTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Short pings so that a paused peer is found stale in seconds (1 s interval, 2 unanswered). */
    private static final String FAST_PINGS = "ping_interval: \"1s\"\nping_max: 2";

    @TempDir
    Path dir;

    @Test
    void aKilledNodeIsDroppedAndRejoinsWhenRestarted() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: f", FAST_PINGS);
             ServerProcess b = ServerProcess.start(dir, "B", Ports.free(), "name: f, routes: [\"" + a.routeUrl()
                     + "\"]", FAST_PINGS);
             Node c = Node.start(dir, "C", Ports.free(), "name: f, routes: [\"" + a.routeUrl() + "\"]", FAST_PINGS)) {
            Monitor.awaitRoutes(WAIT, 2, a.httpPort, b.httpPort, c.httpPort);
            Clients.assertPubSub(a.clientUrl(), b.clientUrl(), "before.kill");
            b.kill();
            Monitor.awaitRoutes(WAIT, 1, a.httpPort, c.httpPort);
            Clients.assertPubSub(a.clientUrl(), c.clientUrl(), "during.kill");
            b.launch();
            Monitor.awaitRoutes(WAIT, 2, a.httpPort, b.httpPort, c.httpPort);
            Clients.assertPubSub(c.clientUrl(), b.clientUrl(), "after.restart");
            Clients.assertRequestReply(b.clientUrl(), a.clientUrl(), "after.restart.rr");
        }
    }

    @Test
    void aPausedNodeGoesStaleAndComesBackWhenResumed() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: p", FAST_PINGS);
             ServerProcess b = ServerProcess.start(dir, "B", Ports.free(), "name: p, routes: [\"" + a.routeUrl()
                     + "\"]", FAST_PINGS);
             Node c = Node.start(dir, "C", Ports.free(), "name: p, routes: [\"" + a.routeUrl() + "\"]", FAST_PINGS)) {
            Monitor.awaitRoutes(WAIT, 2, a.httpPort, b.httpPort, c.httpPort);
            try (Connection pub = Clients.connect(a.clientUrl()); Connection sub = Clients.connect(c.clientUrl())) {
                Subscription s = sub.subscribe("while.paused");
                sub.flush(Duration.ofSeconds(2));
                Clients.awaitInterest(pub, "while.paused", s);
                b.pause();
                // A and C ping B every second; two unanswered make the route stale.
                Monitor.awaitRoutes(WAIT, 1, a.httpPort, c.httpPort);
                pub.publish("while.paused", "still here".getBytes(StandardCharsets.UTF_8));
                pub.flush(Duration.ofSeconds(2));
                assertNotNull(s.nextMessage(WAIT), "A and C keep working while B is paused");
            }
            b.resume();
            Monitor.awaitRoutes(WAIT, 2, a.httpPort, b.httpPort, c.httpPort);
            Clients.assertPubSub(b.clientUrl(), c.clientUrl(), "after.resume");
            assertTrue(b.log().contains("Route connection created"), "B reconnected its routes");
        }
    }

    @Test
    void clientsFailOverToTheServersConnectUrlsAnnounced() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: fo", "");
             ServerProcess b = ServerProcess.start(dir, "B", Ports.free(), "name: fo, routes: [\"" + a.routeUrl()
                     + "\"]", "");
             Node c = Node.start(dir, "C", Ports.free(), "name: fo, routes: [\"" + a.routeUrl() + "\"]", "")) {
            Monitor.awaitRoutes(WAIT, 2, a.httpPort, b.httpPort, c.httpPort);
            // The client knows only B; B's INFO tells it about A and C.
            try (Connection client = io.nats.client.Nats.connect(new io.nats.client.Options.Builder()
                    .server(b.clientUrl()).maxReconnects(-1).reconnectWait(Duration.ofMillis(100))
                    .connectionTimeout(Duration.ofSeconds(2)).build());
                 Connection other = Clients.connect(c.clientUrl())) {
                Monitor.await(WAIT, "the client learns A and C from connect_urls",
                        () -> client.getServers().size() >= 3);
                assertTrue(client.getServers().stream().anyMatch(u -> u.contains(":" + a.port)), "A announced: "
                        + client.getServers());
                b.kill();
                Monitor.await(WAIT, "the client reconnects elsewhere",
                        () -> client.getStatus() == Connection.Status.CONNECTED
                                && client.getConnectedUrl() != null && !client.getConnectedUrl().contains(":" + b.port));
                Subscription s = client.subscribe("after.failover");
                client.flush(Duration.ofSeconds(2));
                Clients.awaitInterest(other, "after.failover", s);
                other.publish("after.failover", "ok".getBytes(StandardCharsets.UTF_8));
                assertEquals("ok", new String(s.nextMessage(WAIT).getData(), StandardCharsets.UTF_8),
                        "the failed-over client receives through the cluster");
            }
        }
    }
}
