package nats.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
 * Accounts over routes: interest and messages stay in their account, a stream import delivers what the exporter
 * publishes on another server, a service import's request and response cross the cluster (the response on the
 * importing server's {@code _R_} subject). Ours with ours, and ours with Go.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AccountsAcrossClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String ACCOUNTS = """
            accounts {
              EXP { users [{user: e, password: e}], exports [{stream: "events.>"}, {service: "svc.>"}] }
              IMP { users [{user: i, password: i}], imports [{stream: {account: EXP, subject: "events.>"}},
                                                              {service: {account: EXP, subject: "svc.>"}}] }
              OTHER { users [{user: o, password: o}] }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void accountsAcrossOurServers() throws Exception {
        try (Node a = Node.start(dir, "A", Ports.free(), "name: acc", ACCOUNTS);
             Node b = Node.start(dir, "B", Ports.free(), "name: acc, routes: [\"" + a.routeUrl() + "\"]", ACCOUNTS)) {
            Monitor.awaitRoutes(WAIT, 1, a.httpPort, b.httpPort);
            exercise(a.port, b.port);
            exercise(b.port, a.port);
        }
    }

    @Test
    void accountsBetweenOursAndGo() throws Exception {
        GoNode.assumeAvailable();
        try (GoNode go = GoNode.start(dir, "G", Ports.free(), "name: acc", ACCOUNTS);
             Node ours = Node.start(dir, "J", Ports.free(), "name: acc, routes: [\"" + go.routeUrl() + "\"]",
                     ACCOUNTS)) {
            Monitor.awaitRoutes(WAIT, 1, go.httpPort, ours.httpPort);
            exercise(go.port, ours.port);
            exercise(ours.port, go.port);
        }
    }

    /** The exporter publishes and answers at {@code exporterPort}; the others listen and ask at {@code otherPort}. */
    private static void exercise(int exporterPort, int otherPort) throws Exception {
        try (Connection exp = user(exporterPort, "e"); Connection imp = user(otherPort, "i");
             Connection other = user(otherPort, "o"); Connection expRemote = user(otherPort, "e")) {
            String topic = "events." + System.nanoTime();
            Subscription imported = imp.subscribe(topic);
            Subscription foreign = other.subscribe(topic);
            Subscription sameAccount = expRemote.subscribe(topic);
            imp.flush(Duration.ofSeconds(2));
            other.flush(Duration.ofSeconds(2));
            expRemote.flush(Duration.ofSeconds(2));
            Clients.awaitInterest(exp, topic, sameAccount);
            Monitor.await(WAIT, "the importer's shadow interest reaches the exporter's server", () -> {
                try {
                    exp.publish(topic, "probe".getBytes(StandardCharsets.UTF_8));
                    exp.flush(Duration.ofSeconds(1));
                    return imported.nextMessage(Duration.ofMillis(100)) != null;
                } catch (Exception e) {
                    return false;
                }
            });
            while (imported.nextMessage(Duration.ofMillis(200)) != null || sameAccount.nextMessage(Duration.ofMillis(1)) != null) {
                // probes
            }
            exp.publish(topic, "event".getBytes(StandardCharsets.UTF_8));
            exp.flush(Duration.ofSeconds(2));
            assertNotNull(sameAccount.nextMessage(WAIT), "the exporter's own account on the other server");
            Message got = imported.nextMessage(WAIT);
            assertNotNull(got, "the stream import delivers across the route");
            assertEquals("event", new String(got.getData(), StandardCharsets.UTF_8), "payload");
            assertNull(foreign.nextMessage(Duration.ofMillis(300)), "another account sees nothing");

            String svc = "svc." + System.nanoTime();
            exp.createDispatcher(m -> exp.publish(m.getReplyTo(), ("answer " + new String(m.getData(),
                    StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8))).subscribe(svc);
            exp.flush(Duration.ofSeconds(2));
            Message reply = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (reply == null && System.nanoTime() < deadline) {
                try {
                    reply = imp.request(svc, "q".getBytes(StandardCharsets.UTF_8), Duration.ofMillis(500));
                } catch (Exception notYet) {
                    Thread.sleep(50);
                }
            }
            assertNotNull(reply, "the service import's request reaches the exporter on the other server");
            assertEquals("answer q", new String(reply.getData(), StandardCharsets.UTF_8), "and its response comes back");
            for (int i = 0; i < 10; i++) {
                Message r = imp.request(svc, ("n" + i).getBytes(StandardCharsets.UTF_8), WAIT);
                assertEquals("answer n" + i, new String(r.getData(), StandardCharsets.UTF_8), "request " + i);
            }
        }
    }

    private static Connection user(int port, String user) throws Exception {
        return Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port).userInfo(user, user)
                .connectionTimeout(Duration.ofSeconds(5)).build());
    }
}
