package nats.server.liveness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import nats.testing.RawClient;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connection and payload limits as seen by real clients.
 *
 * <p>Reference (nats-server 2.9.10, checked on the wire): with {@code max_connections: 1} a second client gets
 * INFO, {@code -ERR 'maximum connections exceeded'} and is closed; with {@code max_payload: 1024} INFO announces
 * {@code "max_payload":1024} and a {@code PUB foo 2000} gets {@code -ERR 'Maximum Payload Violation'} and the
 * connection is closed (before the payload is even sent).
 */
@Timeout(30)
class LimitsTest {

    private NatsServer server;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception ignored) {
                // Best effort.
            }
        }
        if (server != null) {
            server.shutdown();
        }
    }

    private String url() {
        return "nats://127.0.0.1:" + server.port();
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    private static final class Errors implements ErrorListener {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void errorOccurred(Connection conn, String error) {
            seen.add(error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            seen.add(String.valueOf(exp));
        }
    }

    // ---- max connections ------------------------------------------------------------------------------

    @Test
    void secondJnatsConnectionIsRefusedWithMaximumConnectionsExceeded() throws Exception {
        server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .maxConnections(1));
        Connection first = closeLater(Nats.connect(url()));
        first.flush(Duration.ofSeconds(2));

        Errors errors = new Errors();
        Options second = new Options.Builder().server(url()).noReconnect().maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(2)).errorListener(errors).build();
        Exception e = assertThrows(Exception.class, () -> closeLater(Nats.connect(second)),
                "the second connection must be refused");
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append(" | ");
        }
        errors.seen.forEach(s -> all.append(s).append(" | "));
        // The server sends INFO and -ERR 'maximum connections exceeded' back to back (see the raw test below).
        // jnats 2.22 surfaces that -ERR only when it arrives in a later read than INFO; when both arrive in one
        // read it gives up with "Read past initial info message." - which is also what it reports against
        // nats-server 2.9.10 (checked), so either wording is accepted here.
        String text = all.toString().toLowerCase(Locale.ROOT);
        assertTrue(text.contains("maximum connections exceeded") || text.contains("read past initial info message"),
                "the refusal should say 'maximum connections exceeded': " + all);

        assertEquals(Connection.Status.CONNECTED, first.getStatus(), "the first client is unaffected");
        first.flush(Duration.ofSeconds(2));
        assertEquals(1, server.clientCount());

        // Once the first leaves, there is room again.
        first.close();
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (server.clientCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Connection third = closeLater(Nats.connect(url()));
        third.flush(Duration.ofSeconds(2));
        assertEquals(Connection.Status.CONNECTED, third.getStatus());
    }

    @Test
    void rawClientOverTheConnectionLimitGetsInfoThenErrorThenClose() throws Exception {
        server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .maxConnections(1));
        RawClient first = closeLater(RawClient.connect(server.port()));
        first.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
        assertTrue(first.readLine(2000).startsWith("INFO "));
        assertEquals("PONG", first.readLine(2000));

        RawClient second = closeLater(RawClient.connect(server.port()));
        RawClient.Drained drained = second.readAllToEnd(3_000);
        assertTrue(drained.closedByServer(), "over-limit client is closed, got " + drained.end());
        String[] lines = drained.text().split("\r\n", -1);
        assertEquals(3, lines.length, "INFO, -ERR, nothing else: '" + drained.text() + "'");
        assertTrue(lines[0].startsWith("INFO {"), lines[0]);
        assertEquals("-ERR 'maximum connections exceeded'", lines[1]);

        first.send("PING\r\n");
        assertEquals("PONG", first.readLine(2000), "the admitted client is unaffected");
        assertEquals(1, server.clientCount());
    }

    // ---- max payload ----------------------------------------------------------------------------------

    @Test
    void jnatsRefusesClientSideToPublishMoreThanTheAnnouncedMaxPayload() throws Exception {
        server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .maxPayload(1024));
        Errors errors = new Errors();
        Connection nc = closeLater(Nats.connect(new Options.Builder().server(url()).noReconnect()
                .errorListener(errors).build()));
        assertEquals(1024, nc.getServerInfo().getMaxPayload(), "INFO announces max_payload");
        assertEquals(1024, nc.getMaxPayload());

        Subscription sub = nc.subscribe("big");
        nc.flush(Duration.ofSeconds(2));
        byte[] exactly = new byte[1024];
        Arrays.fill(exactly, (byte) 7);
        nc.publish("big", exactly);
        Message m = sub.nextMessage(Duration.ofSeconds(2));
        assertNotNull(m, "a payload of exactly max_payload is delivered");
        assertEquals(1024, m.getData().length);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> nc.publish("big", new byte[1025]), "jnats checks the announced max_payload before sending");
        assertTrue(e.getMessage().contains("1025") && e.getMessage().contains("1024"), e.getMessage());

        // Nothing reached the server, so the connection is intact.
        nc.flush(Duration.ofSeconds(2));
        assertEquals(Connection.Status.CONNECTED, nc.getStatus());
        assertTrue(errors.seen.isEmpty(), "no server error: " + errors.seen);
    }

    @Test
    void jnatsWithoutClientSideChecksIsDisconnectedWithMaximumPayloadViolation() throws Exception {
        server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .maxPayload(1024));
        Errors errors = new Errors();
        List<String> events = new CopyOnWriteArrayList<>();
        Connection nc = closeLater(Nats.connect(new Options.Builder().server(url()).noReconnect()
                .clientSideLimitChecks(false).errorListener(errors)
                .connectionListener((conn, event) -> events.add(event.name())).build()));
        nc.publish("big", new byte[2000]);
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (nc.getStatus() != Connection.Status.CLOSED && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(Connection.Status.CLOSED, nc.getStatus(), "server closes the violating client; events " + events);
        assertTrue(errors.seen.stream().anyMatch(s -> s.contains("Maximum Payload Violation")),
                "jnats is told 'Maximum Payload Violation': " + errors.seen);
    }

    @Test
    void rawPubOverMaxPayloadGetsErrorAndClose() throws Exception {
        server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .maxPayload(1024));
        RawClient ok = closeLater(RawClient.connect(server.port()));
        String info = ok.readLine(2000);
        assertTrue(info.contains("\"max_payload\":1024"), info);
        ok.send("CONNECT {\"verbose\":false}\r\nSUB foo 1\r\nPUB foo 1024\r\n" + "y".repeat(1024) + "\r\nPING\r\n");
        assertEquals("MSG foo 1 1024", ok.readLine(2000), "exactly max_payload is accepted");
        assertEquals("y".repeat(1024), ok.readLine(2000));
        assertEquals("PONG", ok.readLine(2000));

        RawClient bad = closeLater(RawClient.connect(server.port()));
        assertTrue(bad.readLine(2000).startsWith("INFO {"));
        // Only the control line: the server must judge the size from it, as Go does.
        bad.send("CONNECT {\"verbose\":false}\r\nPUB foo 2000\r\n");
        RawClient.Drained drained = bad.readAllToEnd(3_000);
        assertTrue(drained.closedByServer(), "violating client is closed, got " + drained.end() + " after '"
                + drained.text() + "'");
        assertEquals("-ERR 'Maximum Payload Violation'\r\n", drained.text());

        ok.send("PING\r\n");
        assertEquals("PONG", ok.readLine(2000), "other clients are unaffected");
        assertEquals(1, server.clientCount());
    }
}
