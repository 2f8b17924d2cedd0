package nats.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.mqtt.testing.MqttTestServer;
import nats.mqtt.testing.RawMqtt;
import nats.testing.GoServer;
import nats.testing.Ports;
import nats.transport.json.GoJson;
import nats.transport.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What monitoring shows of MQTT, against Go 2.9.10: an MQTT client's {@code /connz} entry (type {@code mqtt}, its
 * subscriptions including the consumer's delivery subject, {@code mqtt_client}), the {@code ?mqtt_client=} filter,
 * the {@code /varz} {@code mqtt} section, and the client id in the connect event.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MonitoringTest {

    private static final String CONFIG = """
            server_name: S1
            http: 127.0.0.1:%d
            jetstream { store_dir: "%s" }
            mqtt { port: %d, ack_wait: "5s", max_ack_pending: 100 }
            """;

    @TempDir
    Path dir;

    private static String get(int port, String path) throws Exception {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create("http://127.0.0.1:" + port + path)
                .toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(5000);
        try (java.io.InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    /** The MQTT client's /connz entry and the /varz mqtt section, with what differs by nature replaced. */
    private static List<String> observe(int mqttPort, int httpPort) throws Exception {
        try (RawMqtt c = RawMqtt.connect(mqttPort)) {
            assertEquals(0, RawMqtt.connAckCode(c, RawMqtt.connectPacket("mon-1", true, 0, null, null)), "accepted");
            c.send(RawMqtt.subscribePacket(1, "a/b", 1));
            assertNotNull(c.await(0x90, 5000), "SUBACK");
            Map<String, Object> connz = Json.parseObject(get(httpPort, "/connz?subs=1&mqtt_client=mon-1"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> conns = (List<Map<String, Object>>) connz.get("connections");
            assertEquals(1, conns.size(), "the mqtt_client filter finds the client");
            Map<String, Object> entry = new LinkedHashMap<>(conns.get(0));
            // pending_bytes is whatever the writer has not flushed at that instant (Go sometimes shows 5).
            for (String k : List.of("cid", "port", "start", "last_activity", "uptime", "idle", "rtt",
                    "pending_bytes")) {
                entry.computeIfPresent(k, (key, v) -> "<" + key + ">");
            }
            entry.computeIfPresent("subscriptions_list", (k, v) -> ((List<?>) v).stream()
                    .map(s -> String.valueOf(s).startsWith("$MQTT.sub.") ? "$MQTT.sub.<nuid>" : s).sorted().toList());
            Map<String, Object> none = Json.parseObject(get(httpPort, "/connz?mqtt_client=nobody"));
            Map<String, Object> varz = Json.parseObject(get(httpPort, "/varz"));
            @SuppressWarnings("unchecked")
            Map<String, Object> mqtt = new LinkedHashMap<>((Map<String, Object>) varz.get("mqtt"));
            mqtt.put("port", "<port>");
            return List.of(GoJson.compact(entry), String.valueOf(none.get("num_connections")), GoJson.compact(mqtt));
        }
    }

    @Test
    void connzAndVarzAsGoShowsThem() throws Exception {
        Assumptions.assumeTrue(GoServer.available(), "Go nats-server not installed");
        int mqtt = Ports.free();
        int http = Ports.free();
        Path ours = Files.createDirectories(dir.resolve("ours"));
        List<String> mine;
        try (MqttTestServer s = MqttTestServer.startTemplate(ours, CONFIG.formatted(http, "%store", mqtt), mqtt)) {
            mine = observe(mqtt, http);
        }
        int goMqtt = Ports.free();
        int goHttp = Ports.free();
        Path goDir = Files.createDirectories(dir.resolve("go"));
        List<String> go;
        try (GoServer g = GoServer.start(goDir, port -> "listen: 127.0.0.1:" + port + "\n"
                + CONFIG.formatted(goHttp, goDir.resolve("store"), goMqtt))) {
            go = observe(goMqtt, goHttp);
        }
        assertEquals(go.get(0), mine.get(0), "the MQTT client's /connz entry");
        assertEquals(go.get(1), mine.get(1), "an unknown mqtt_client finds nothing");
        assertEquals(go.get(2), mine.get(2), "the /varz mqtt section");
    }

    @Test
    void connectEventCarriesTheClientId() throws Exception {
        Path d = Files.createDirectories(dir.resolve("events"));
        try (MqttTestServer s = MqttTestServer.start(d, """
                accounts { SYS { users: [{user: sys, password: pw}] }, A { jetstream: enabled, users: [{user: a, password: pw}] } }
                system_account: SYS
                """);
             Connection sys = Nats.connect(new Options.Builder().server(s.natsUrl()).userInfo("sys", "pw")
                     .maxReconnects(0).build())) {
            Subscription events = sys.subscribe("$SYS.ACCOUNT.A.CONNECT");
            sys.flush(Duration.ofSeconds(2));
            try (RawMqtt c = RawMqtt.connect(s.mqttPort())) {
                assertEquals(0, RawMqtt.connAckCode(c, RawMqtt.connectPacket("evt-1", true, 0, "a", "pw")), "accepted");
                Message m = events.nextMessage(Duration.ofSeconds(5));
                assertNotNull(m, "a connect event");
                Map<String, Object> event = Json.parseObject(new String(m.getData(), StandardCharsets.UTF_8));
                @SuppressWarnings("unchecked")
                Map<String, Object> client = (Map<String, Object>) event.get("client");
                assertEquals("mqtt", client.get("client_type"), "Go's client_type");
                assertEquals("evt-1", client.get("client_id"), "Go's client_id: the MQTT client id");
                assertTrue(!client.containsKey("name"), "MQTT clients have no NATS name");
            }
        }
    }
}
