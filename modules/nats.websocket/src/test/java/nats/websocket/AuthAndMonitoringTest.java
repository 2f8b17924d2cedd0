package nats.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import nats.transport.json.Json;
import nats.transport.json.JsonWriter;
import nats.websocket.testing.GoWsServer;
import nats.websocket.testing.RawWebSocket;
import nats.websocket.testing.WsTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSocket clients are ordinary client connections of type {@code websocket}: the block's own credentials
 * replace the server's as Go's do, {@code allowed_connection_types} applies, INFO describes the WebSocket
 * listener, {@code /connz} and {@code /varz} show them as Go does.
 */
@Timeout(60)
class AuthAndMonitoringTest {

    @TempDir
    Path dir;

    private static Options.Builder ws(WsTestServer s) {
        return Options.builder().server("ws://127.0.0.1:" + s.wsPort()).maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(5));
    }

    /** jnats waits its whole connection timeout after a refusal over WebSocket (with Go too): keep it short. */
    private static Options.Builder quick(Options.Builder b) {
        return b.connectionTimeout(Duration.ofMillis(800));
    }

    private static Options.Builder tcp(WsTestServer s) {
        return Options.builder().server("nats://127.0.0.1:" + s.natsPort()).maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(5));
    }

    @Test
    void theBlocksUserReplacesTheServersForWebSocketClientsOnly() throws Exception {
        try (WsTestServer s = WsTestServer.start(dir,
                "websocket { port: -1, no_tls: true, authorization { user: wsuser, password: wspass } }\n")) {
            try (Connection c = Nats.connect(tcp(s).build())) {
                assertEquals(Connection.Status.CONNECTED, c.getStatus(), "TCP clients still need nothing");
            }
            try (Connection c = Nats.connect(ws(s).userInfo("wsuser", "wspass").build())) {
                assertEquals(Connection.Status.CONNECTED, c.getStatus(), "the block's user connects over ws");
            }
            assertThrows(IOException.class, () -> Nats.connect(quick(ws(s)).build()), "a ws client without credentials");
            try (RawWebSocket raw = RawWebSocket.upgraded(s.wsPort(), "")) {
                String info = raw.readUntil("INFO ");
                assertTrue(info.contains("\"auth_required\":true"), () -> "INFO asks ws clients to log in: " + info);
            }
        }
    }

    @Test
    void theBlocksTokenReplacesTheServersToken() throws Exception {
        try (WsTestServer s = WsTestServer.start(dir, "authorization { token: tcp_token }\n"
                + "websocket { port: -1, no_tls: true, authorization { token: ws_token } }\n")) {
            try (Connection c = Nats.connect(ws(s).token("ws_token".toCharArray()).build())) {
                assertEquals(Connection.Status.CONNECTED, c.getStatus(), "the block's token works over ws");
            }
            assertThrows(IOException.class, () -> Nats.connect(quick(ws(s)).token("tcp_token".toCharArray()).build()),
                    "the server's token does not work over ws");
            try (Connection c = Nats.connect(tcp(s).token("tcp_token".toCharArray()).build())) {
                assertEquals(Connection.Status.CONNECTED, c.getStatus(), "the server's token still works over TCP");
            }
        }
    }

    @Test
    void noAuthUserAndConnectionTypes() throws Exception {
        String config = """
                authorization {
                  users: [
                    {user: web, password: w, allowed_connection_types: ["WEBSOCKET"]}
                    {user: tcp, password: t, allowed_connection_types: ["STANDARD"]}
                  ]
                }
                websocket { port: -1, no_tls: true, no_auth_user: web }
                """;
        try (WsTestServer s = WsTestServer.start(dir, config)) {
            try (Connection c = Nats.connect(ws(s).build())) {
                assertEquals(Connection.Status.CONNECTED, c.getStatus(), "a ws client without credentials is 'web'");
            }
            assertThrows(IOException.class, () -> Nats.connect(quick(tcp(s)).build()),
                    "the block's no_auth_user is not the server's");
            assertThrows(IOException.class, () -> Nats.connect(quick(ws(s)).userInfo("tcp", "t").build()),
                    "a STANDARD-only user may not come over WebSocket");
            assertThrows(IOException.class, () -> Nats.connect(quick(tcp(s)).userInfo("web", "w").build()),
                    "a WEBSOCKET-only user may not come over TCP");
        }
    }

    @Test
    void theBlocksAuthTimeoutApplies() throws Exception {
        try (WsTestServer s = WsTestServer.start(dir, "authorization { token: t }\n"
                + "websocket { port: -1, no_tls: true, authorization { timeout: 0.3 } }\n");
             RawWebSocket raw = RawWebSocket.upgraded(s.wsPort(), "")) {
            raw.readUntil("INFO ");
            long start = System.nanoTime();
            String got = raw.readUntil("-ERR");
            assertTrue(got.contains("-ERR 'Authentication Timeout'"), () -> "expected Go's timeout error: " + got);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 1500, () -> "the block's 0.3 s, not the server's 2 s: took " + ms + " ms");
            RawWebSocket.Frame close;
            do {
                close = raw.readFrame();
            } while (close.opcode() != 8);
            assertEquals(1008, close.closeStatus(), "a policy violation");
            assertEquals("Authentication Timeout", close.closeReason(), "Go's close reason");
        }
    }

    @Test
    void infoDescribesTheWebSocketListener() throws Exception {
        try (WsTestServer s = WsTestServer.start(dir, "websocket { port: -1, no_tls: true }\n");
             RawWebSocket raw = RawWebSocket.upgraded(s.wsPort(), "")) {
            String line = raw.readUntil("\r\n");
            Map<String, Object> info = Json.parseObject(line.substring(5, line.indexOf("\r\n")).strip());
            assertEquals("0.0.0.0", info.get("host"), "the WebSocket listener's host (Go 2.10+)");
            assertEquals((long) s.wsPort(), info.get("port"), "the WebSocket listener's port (Go 2.10+)");
            assertFalse(info.containsKey("tls_required"), "no TLS on this listener");
            assertFalse(info.containsKey("auth_required"), "no auth configured");
        }
    }

    @Test
    void connzShowsTheTypeAndVarzTheBlock() throws Exception {
        try (WsTestServer s = WsTestServer.start(dir, "http: -1\nwebsocket { port: -1, no_tls: true, compression: true,"
                + " same_origin: true, allowed_origins: [\"http://a.example\"], handshake_timeout: \"2s\","
                + " authorization { timeout: 3 } }\n");
             Connection c = Nats.connect(ws(s).connectionName("browser").build())) {
            c.flush(Duration.ofSeconds(2));
            Map<String, Object> connz = get(s, "/connz");
            @SuppressWarnings("unchecked")
            Map<String, Object> conn = ((java.util.List<Map<String, Object>>) connz.get("connections")).get(0);
            assertEquals("websocket", conn.get("type"), "Go's client type for ws clients");
            assertEquals("Client", conn.get("kind"), "an ordinary client");
            assertEquals("browser", conn.get("name"), "CONNECT's name");
            Object varz = get(s, "/varz").get("websocket");
            assertEquals(Map.of("host", "0.0.0.0", "port", (long) s.wsPort(), "handshake_timeout", 2_000_000_000L,
                    "auth_timeout", 3L, "no_tls", true, "same_origin", true,
                    "allowed_origins", java.util.List.of("http://a.example"), "compression", true), varz,
                    "Go's WebsocketOptsVarz");
        }
    }

    @Test
    void varzSectionMatchesGos() throws Exception {
        assumeTrue(GoWsServer.available(), "the Go nats-server is not installed");
        String block = "websocket { port: %d, no_tls: true, compression: true, same_origin: true, "
                + "allowed_origins: [\"http://a.example\", \"https://b.example:8443\"], handshake_timeout: \"1500ms\","
                + " jwt_cookie: \"\", authorization { timeout: 2.5, user: u, password: p } }\n";
        int goHttp = GoWsServer.freePort();
        String goVarz;
        try (GoWsServer g = GoWsServer.start(dir, "port: %d\nhttp: " + goHttp + "\n" + block.replace("%d", "%2$d"))) {
            goVarz = new JsonWriter().value(Json.parseObject(fetch(goHttp, "/varz")).get("websocket")).toString()
                    .replace(":" + g.wsPort() + ",", ":PORT,");
        }
        try (WsTestServer s = WsTestServer.start(dir, "http: -1\n" + block.formatted(-1))) {
            String ours = new JsonWriter().value(get(s, "/varz").get("websocket")).toString()
                    .replace(":" + s.wsPort() + ",", ":PORT,");
            assertEquals(goVarz, ours, "expected /varz's websocket section as Go's, field for field");
        }
    }

    private static Map<String, Object> get(WsTestServer s, String path) throws Exception {
        return Json.parseObject(fetch(s.server().monitorPort(), path));
    }

    private static String fetch(int port, String path) throws Exception {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create("http://127.0.0.1:" + port + path)
                .toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(5000);
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }
}
