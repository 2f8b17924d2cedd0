package nats.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import nats.server.testing.JwtFactory;
import nats.websocket.testing.FakeMqttPlugin;
import nats.websocket.testing.RawWebSocket;
import nats.websocket.testing.WsTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade where Go 2.10+ is the reference (key length, the MQTT endpoint), and what needs more than one
 * server to compare with: the MQTT hand-off, the handshake timeout, the JWT cookie.
 */
@Timeout(30)
class UpgradeTest {

    private static final String PLAIN = "websocket { port: -1, no_tls: true }\n";

    @TempDir
    Path dir;

    @Test
    void aKeyThatIsNotASixteenByteNonceIsRefused() throws Exception {
        try (WsTestServer server = WsTestServer.start(dir, PLAIN);
             RawWebSocket ws = RawWebSocket.open(server.wsPort())) {
            String head = ws.request("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: YWJj\r\nSec-WebSocket-Version: 13\r\n\r\n");
            assertTrue(head.startsWith("HTTP/1.1 400 Bad Request\r\n"), () -> "expected 400 (Go 2.10+), got " + head);
        }
    }

    @Test
    void theMqttEndpointIsRefusedWithoutMqtt() throws Exception {
        try (WsTestServer server = WsTestServer.start(dir, PLAIN);
             RawWebSocket ws = RawWebSocket.open(server.wsPort())) {
            String head = ws.request("GET /mqtt HTTP/1.1\r\nHost: x\r\n" + RawWebSocket.standardHeaders()
                    + "Sec-WebSocket-Protocol: mqtt\r\n\r\n");
            assertTrue(head.startsWith("HTTP/1.1 404 Not Found\r\n"), () -> "expected 404 as Go 2.10+, got " + head);
        }
    }

    @Test
    void theMqttEndpointGoesToThePluginServingMqtt() throws Exception {
        FakeMqttPlugin.CARRIERS.clear();
        try (WsTestServer server = WsTestServer.start(dir, PLAIN, "fake-mqtt")) {
            for (String request : new String[] {
                    "GET /mqtt HTTP/1.1\r\nHost: x\r\n" + RawWebSocket.standardHeaders() + "\r\n",
                    "GET / HTTP/1.1\r\nHost: x\r\n" + RawWebSocket.standardHeaders()
                            + "Sec-WebSocket-Protocol: mqttv3.1, mqtt\r\n\r\n"}) {
                try (RawWebSocket ws = RawWebSocket.open(server.wsPort())) {
                    String head = ws.request(request);
                    assertTrue(head.startsWith("HTTP/1.1 101 "), () -> "expected the upgrade, got " + head);
                    assertTrue(head.contains("\r\nSec-Websocket-Protocol: mqtt\r\n"), "the subprotocol chosen, as Go");
                    ws.send(RawWebSocket.binary("connect packet"));
                    RawWebSocket.Frame f = ws.readFrame();
                    assertEquals("echo:connect packet", f.text(), "the MQTT plugin got the frame's payload");
                    assertEquals("websocket", FakeMqttPlugin.CARRIERS.poll(5, TimeUnit.SECONDS),
                            "and was told it came over WebSocket");
                    ws.send(RawWebSocket.frame(0x88, new byte[] {0x03, (byte) 0xe8}, new byte[] {1, 2, 3, 4}));
                    RawWebSocket.Frame close = ws.readFrame();
                    assertEquals(1000, close.closeStatus(), "the client's close is answered");
                }
            }
        }
    }

    @Test
    void aClientThatDoesNotFinishTheUpgradeInTimeIsDropped() throws Exception {
        try (WsTestServer server = WsTestServer.start(dir,
                "websocket { port: -1, no_tls: true, handshake_timeout: \"300ms\" }\n");
             RawWebSocket ws = RawWebSocket.open(server.wsPort())) {
            ws.send("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            assertTrue(ws.closedByServer(), "expected the connection dropped, without an answer");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ms >= 200 && ms < 3000, () -> "expected the drop after about 300 ms, took " + ms);
        }
    }

    @Test
    void dataSentBeforeTheUpgradeIsAnsweredEndsTheConnection() throws Exception {
        try (WsTestServer server = WsTestServer.start(dir, PLAIN);
             RawWebSocket ws = RawWebSocket.open(server.wsPort())) {
            byte[] request = ("GET / HTTP/1.1\r\nHost: x\r\n" + RawWebSocket.standardHeaders() + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] frame = RawWebSocket.binary("CONNECT {}\r\n");
            byte[] both = new byte[request.length + frame.length];
            System.arraycopy(request, 0, both, 0, request.length);
            System.arraycopy(frame, 0, both, request.length, frame.length);
            ws.send(both);
            assertTrue(ws.closedByServer(), "expected Go's 'client sent data before handshake is complete' close");
        }
    }

    @Test
    void theJwtCookieAuthenticatesAClientWhoseConnectHasNone() throws Exception {
        var operator = JwtFactory.operatorKey();
        var sys = JwtFactory.accountKey();
        var account = JwtFactory.accountKey();
        var user = JwtFactory.userKey();
        Path op = Files.writeString(dir.resolve("op.jwt"), JwtFactory.operator(operator, sys.publicKey()));
        String config = """
                operator: %s
                system_account: %s
                resolver: MEMORY
                resolver_preload: {
                  %s: %s
                  %s: %s
                }
                websocket { port: -1, no_tls: true, jwt_cookie: "my_jwt" }
                """.formatted(op, sys.publicKey(), sys.publicKey(), JwtFactory.account(operator, sys, "SYS", ""),
                account.publicKey(), JwtFactory.account(operator, account, "A", ""));
        String bearer = JwtFactory.user(account, user, "\"bearer_token\":true", 0);
        try (WsTestServer server = WsTestServer.start(dir, config)) {
            try (RawWebSocket ws = RawWebSocket.upgraded(server.wsPort(), "Cookie: other=1; my_jwt=" + bearer + "\r\n")) {
                ws.readUntil("INFO ");
                ws.sendText("CONNECT {\"verbose\":false}\r\nPING\r\n");
                assertTrue(ws.readUntil("PONG").contains("PONG"), "expected the cookie's JWT to authenticate");
            }
            try (RawWebSocket ws = RawWebSocket.upgraded(server.wsPort(), "")) {
                ws.readUntil("INFO ");
                ws.sendText("CONNECT {\"verbose\":false}\r\nPING\r\n");
                String got = ws.readUntil("-ERR");
                assertTrue(got.contains("-ERR 'Authorization Violation'"), () -> "expected a refusal, got " + got);
                RawWebSocket.Frame close;
                do {
                    close = ws.readFrame();
                } while (close.opcode() != 8);
                assertEquals(1008, close.closeStatus(), "an authentication failure is a policy violation");
                assertEquals("Authentication Failure", close.closeReason(), "with Go's close reason");
            }
        }
    }
}
