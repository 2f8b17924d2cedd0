package nats.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import nats.mqtt.testing.MqttTestServer;
import nats.mqtt.testing.Paho;
import nats.testing.Ports;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT over WebSocket: the websocket plugin hands its {@code /mqtt} connections to this plugin (Go's endpoint), so
 * MQTT.js and Paho speak MQTT through {@code ws://}, meet TCP clients, and the kernel checks Go's {@code MQTT_WS}
 * connection type for them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WebSocketTest {

    private static final Path NODE_TESTS = Path.of("node-tests");

    @TempDir
    Path dir;

    private MqttTestServer start(String extra) throws Exception {
        int ws = Ports.free();
        return MqttTestServer.start(Files.createTempDirectory(dir, "s"),
                "websocket { host: 127.0.0.1, port: " + ws + ", no_tls: true }\n" + extra).withWebSocketPort(ws);
    }

    @Test
    void pahoOverWebSocketMeetsTcpClients() throws Exception {
        try (MqttTestServer s = start("")) {
            String wsUrl = "ws://127.0.0.1:" + s.webSocketPort() + "/mqtt";
            try (Paho overWs = Paho.connect(wsUrl, "ws-sub", true);
                 Paho overTcp = Paho.connect(s.mqttUrl(), "tcp-pub", true)) {
                overWs.subscribe("ws/t", 1);
                overTcp.publish("ws/t", "from-tcp", 1, false);
                Paho.Received r = overWs.next(5000);
                assertNotNull(r, "a WebSocket subscriber gets a TCP publisher's message");
                assertEquals("from-tcp", r.payload(), "payload");
                assertEquals(1, r.qos(), "QoS 1");
                overTcp.subscribe("tcp/t", 0);
                overWs.publish("tcp/t", "from-ws", 0, false);
                assertEquals("from-ws", overTcp.next(5000).payload(), "and the other way round");
            }
        }
    }

    @Test
    void mqttWsIsItsOwnConnectionType() throws Exception {
        try (MqttTestServer s = start("""
                authorization { users: [
                  {user: tcponly, password: pw, allowed_connection_types: ["MQTT"]}
                  {user: wsonly, password: pw, allowed_connection_types: ["MQTT_WS"]}
                ] }
                """)) {
            String wsUrl = "ws://127.0.0.1:" + s.webSocketPort() + "/mqtt";
            try (Paho ok = Paho.connect(wsUrl, "ct-1", options("wsonly"))) {
                assertTrue(ok.isConnected(), "MQTT_WS allows MQTT over WebSocket");
            }
            // The server answers CONNACK 5 and closes (MQTT.js reports "Not authorized"); Paho's WebSocket
            // transport sometimes sees the close frame first and reports a plain connection failure.
            assertThrows(MqttException.class, () -> Paho.connect(wsUrl, "ct-2", options("tcponly")).close(),
                    "MQTT does not allow it");
            try (Paho ok = Paho.connect(s.mqttUrl(), "ct-3", options("tcponly"))) {
                assertTrue(ok.isConnected(), "MQTT allows the TCP port");
            }
        }
    }

    @Test
    void mqttJsScenariosOverWebSocket() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(NODE_TESTS.resolve("node_modules/mqtt")),
                "node-tests not installed (npm ci in modules/nats.mqtt/node-tests)");
        Assumptions.assumeTrue(OtherClientsTest.onPath("node"), "node is not installed");
        try (MqttTestServer s = start("")) {
            ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-concurrency=1", "--test-timeout=60000")
                    .directory(NODE_TESTS.toFile()).redirectErrorStream(true);
            pb.environment().put("MQTT_URL", "mqtt://127.0.0.1:" + s.mqttPort());
            pb.environment().put("MQTT_WS_URL", "ws://127.0.0.1:" + s.webSocketPort() + "/mqtt");
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(150, TimeUnit.SECONDS), "node finished");
            assertEquals(0, p.exitValue(), "node's test runner passes:\n" + output);
            assertTrue(output.contains("# pass 10") && output.contains("# fail 0"),
                    "the five scenarios over TCP and over WebSocket passed:\n" + output);
        }
    }

    private static MqttConnectOptions options(String user) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(user);
        o.setPassword("pw".toCharArray());
        return o;
    }
}
