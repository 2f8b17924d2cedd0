package nats.server.liveness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import nats.testing.RawClient;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PING-based liveness: a client that never answers the server's PINGs is closed as stale; one that answers
 * stays.
 *
 * <p>Reference (nats-server 2.9.10, {@code ping_interval: "500ms"}, {@code ping_max: 2}, checked on the wire):
 * after CONNECT the silent client receives INFO, PING (~0.5 s), PING (~1.0 s), {@code -ERR 'Stale Connection'}
 * (~1.5 s), and the connection is closed.
 */
@Timeout(20)
class StaleConnectionTest {

    private NatsServer server;
    private Connection nc;
    private RawClient silent;

    @AfterEach
    void tearDown() throws Exception {
        if (silent != null) {
            silent.close();
        }
        if (nc != null) {
            nc.close();
        }
        if (server != null) {
            server.shutdown();
        }
    }

    @Test
    void clientThatNeverAnswersPingIsClosedAsStaleWhileJnatsStays() throws Exception {
        server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .pingInterval(Duration.ofMillis(500))
                .maxPingsOut(2));
        int port = server.port();

        List<String> events = new CopyOnWriteArrayList<>();
        nc = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port).noReconnect()
                .connectionListener((conn, event) -> events.add(event.name()))
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        events.add("error: " + error);
                    }
                })
                .build());
        Subscription sub = nc.subscribe("alive");
        nc.flush(Duration.ofSeconds(2));

        silent = RawClient.connect(port);
        silent.send("CONNECT {\"verbose\":false}\r\n");
        RawClient.Drained drained = silent.readAllToEnd(6_000);

        String[] lines = drained.text().split("\r\n", -1);
        assertTrue(drained.closedByServer(), "the stale client must be closed by the server, got " + drained.end()
                + " after '" + drained.text() + "'");
        assertEquals(5, lines.length, "expected INFO, PING, PING, -ERR and nothing else, got '" + drained.text() + "'");
        assertTrue(lines[0].startsWith("INFO {"), lines[0]);
        assertEquals("PING", lines[1]);
        assertEquals("PING", lines[2]);
        assertEquals("-ERR 'Stale Connection'", lines[3]);
        assertEquals("", lines[4], "nothing after the -ERR");
        // Two unanswered intervals pass before the third tick declares the connection stale (Go: ~1.5 s).
        assertTrue(drained.elapsedMillis() >= 900 && drained.elapsedMillis() <= 4_000,
                "stale after ~3 ping intervals, took " + drained.elapsedMillis() + " ms");

        // The jnats client answered every PING over the same period (and a little longer) and is still fine.
        Thread.sleep(1_000);
        assertEquals(Connection.Status.CONNECTED, nc.getStatus(), "jnats client must stay connected; events " + events);
        assertEquals(List.of(ConnectionListener.Events.CONNECTED.name()), events, "no disconnect or error for jnats");
        nc.publish("alive", new byte[] {42});
        assertEquals(42, sub.nextMessage(Duration.ofSeconds(2)).getData()[0], "jnats client still round-trips");
        assertEquals(1, server.clientCount(), "only the jnats client remains");
    }
}
