package nats.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import nats.server.ConfigFiles;
import nats.server.options.ServerOptions;
import nats.server.options.ServerStartException;
import nats.websocket.testing.RawWebSocket;
import nats.websocket.testing.WsTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reload (Go refuses changes to the block except its TLS) and lame-duck mode (no new WebSocket clients). */
@Timeout(60)
class ReloadAndLameDuckTest {

    @TempDir
    Path dir;

    private static ServerOptions load(Path conf) throws IOException, ServerStartException {
        ServerOptions options = new ServerOptions().host("127.0.0.1").port(ServerOptions.RANDOM_PORT);
        ConfigFiles.load(conf, options, true);
        return options;
    }

    @Test
    void changesToTheBlockAreRefusedOnReload() throws Exception {
        Path conf = Files.writeString(dir.resolve("a.conf"), "websocket { port: -1, no_tls: true }\n");
        try (WsTestServer s = WsTestServer.startFile(conf)) {
            Files.writeString(conf, "websocket { port: -1, no_tls: true, compression: true }\n");
            ServerStartException e = assertThrows(ServerStartException.class, () -> s.server().reload(load(conf)),
                    "expected the change refused");
            assertTrue(e.getMessage().contains("config reload not supported for Websocket"),
                    () -> "with Go's text, got " + e.getMessage());
            Files.writeString(conf, "websocket { port: -1, no_tls: true }\nmax_payload: 2048\n");
            s.server().reload(load(conf));
            try (RawWebSocket ws = RawWebSocket.upgraded(s.wsPort(), "")) {
                assertTrue(ws.readUntil("INFO ").contains("\"max_payload\":2048"),
                        "an unchanged block keeps its listener while the rest reloads");
            }
        }
    }

    @Test
    void newTlsIsTakenOnReload() throws Exception {
        String tls = "tls { cert_file: \"" + TlsWebSocketTest.file("server-cert.pem") + "\", key_file: \""
                + TlsWebSocketTest.file("server-key.pem") + "\"%s }";
        Path conf = Files.writeString(dir.resolve("t.conf"), "websocket { port: -1, " + tls.formatted("") + " }\n");
        try (WsTestServer s = WsTestServer.startFile(conf)) {
            int port = s.wsPort();
            Files.writeString(conf, "websocket { port: -1, " + tls.formatted(", ca_file: \""
                    + TlsWebSocketTest.file("ca.pem") + "\", verify: true") + " }\n");
            s.server().reload(load(conf));
            Options.Builder wss = Options.builder().server("wss://localhost:" + port).maxReconnects(0)
                    .connectionTimeout(Duration.ofSeconds(2));
            try (Connection c = Nats.connect(wss.sslContext(TlsWebSocketTest.clientContext(true)).build())) {
                assertEquals(Connection.Status.CONNECTED, c.getStatus(), "the same port, with the new TLS");
            }
            assertThrows(IOException.class, () -> Nats.connect(Options.builder().server("wss://localhost:" + port)
                    .maxReconnects(0).connectionTimeout(Duration.ofSeconds(1))
                    .sslContext(TlsWebSocketTest.clientContext(false)).build()),
                    "the reloaded TLS verifies client certificates");
        }
    }

    @Test
    void lameDuckModeStopsTakingWebSocketClients() throws Exception {
        try (WsTestServer s = WsTestServer.start(dir, "lame_duck_duration: \"30s\"\n"
                + "websocket { port: -1, no_tls: true }\n")) {
            int port = s.wsPort();
            s.server().enterLameDuckMode();
            long deadline = System.nanoTime() + 5_000_000_000L;
            boolean refused = false;
            while (!refused && System.nanoTime() < deadline) {
                try (Socket probe = new Socket("127.0.0.1", port)) {
                    probe.setSoLinger(true, 0);
                    Thread.sleep(20);
                } catch (IOException e) {
                    refused = true;
                }
            }
            assertTrue(refused, "expected the WebSocket port closed in lame-duck mode");
        }
    }
}
