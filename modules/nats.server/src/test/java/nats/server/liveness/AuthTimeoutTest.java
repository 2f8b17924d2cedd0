package nats.server.liveness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import nats.testing.RawClient;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import nats.server.NatsServer;
import nats.server.options.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that does not authenticate within the auth timeout is turned away; one that does, stays.
 *
 * <p>Reference (nats-server 2.9.10, {@code authorization { token: s3cret, timeout: 0.5 }}, checked on the wire):
 * the silent client receives INFO (with {@code "auth_required":true}), then after ~0.5 s
 * {@code -ERR 'Authentication Timeout'}, and the connection is closed.
 */
@Timeout(20)
class AuthTimeoutTest {

    private NatsServer server;
    private RawClient silent;
    private RawClient prompt;
    private Connection nc;

    @AfterEach
    void tearDown() throws Exception {
        if (silent != null) {
            silent.close();
        }
        if (prompt != null) {
            prompt.close();
        }
        if (nc != null) {
            nc.close();
        }
        if (server != null) {
            server.shutdown();
        }
    }

    @Test
    void silentClientIsClosedAfterAuthTimeoutWhileAuthenticatedClientsStay() throws Exception {
        server = NatsServer.start(new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT)
                .authToken("s3cret")
                .authTimeout(Duration.ofMillis(500)));
        int port = server.port();

        silent = RawClient.connect(port);
        prompt = RawClient.connect(port);
        List<String> events = new CopyOnWriteArrayList<>();
        nc = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + port).token("s3cret".toCharArray())
                .noReconnect().connectionListener((conn, event) -> events.add(event.name())).build());

        // The prompt raw client authenticates straight away.
        String promptInfo = prompt.readLine(2000);
        assertTrue(promptInfo.startsWith("INFO {") && promptInfo.contains("\"auth_required\":true"), promptInfo);
        prompt.send("CONNECT {\"verbose\":false,\"auth_token\":\"s3cret\"}\r\nPING\r\n");
        assertEquals("PONG", prompt.readLine(2000), "token accepted");

        // The silent one only reads.
        String info = silent.readLine(2000);
        assertTrue(info.startsWith("INFO {") && info.contains("\"auth_required\":true"), info);
        RawClient.Drained drained = silent.readAllToEnd(4_000);
        assertTrue(drained.closedByServer(), "the unauthenticated client must be closed, got " + drained.end()
                + " after '" + drained.text() + "'");
        assertEquals("-ERR 'Authentication Timeout'\r\n", drained.text(), "exactly the timeout error, then close");
        assertTrue(drained.elapsedMillis() <= 2_500, "closed about 0.5 s after connecting, took "
                + drained.elapsedMillis() + " ms after INFO");

        // Well past the timeout, the authenticated clients are still served.
        Thread.sleep(700);
        prompt.send("PING\r\n");
        assertEquals("PONG", prompt.readLine(2000), "authenticated raw client still served after the auth timeout");
        assertEquals(Connection.Status.CONNECTED, nc.getStatus(), "jnats client stays; events " + events);
        nc.flush(Duration.ofSeconds(2));
        assertEquals(List.of("CONNECTED"), events, "no disconnect for the authenticated jnats client");
        assertEquals(2, server.clientCount(), "the two authenticated clients remain");
    }
}
