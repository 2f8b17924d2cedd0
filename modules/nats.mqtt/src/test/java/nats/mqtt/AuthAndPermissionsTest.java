package nats.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import nats.mqtt.testing.MqttTestServer;
import nats.mqtt.testing.RawMqtt;
import nats.mqtt.testing.TestJwts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication through the kernel (users, {@code allowed_connection_types}, the {@code mqtt} block's own
 * credentials) and permissions that hold across MQTT and NATS: a refused CONNECT gets CONNACK 5 [MQTT-3.2.2-5];
 * a denied publish is dropped (a QoS 1 one still gets its PUBACK, as in Go); a denied filter gets 0x80 in the SUBACK.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthAndPermissionsTest {

    @TempDir
    static Path dir;
    static MqttTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = MqttTestServer.start(Files.createDirectories(dir.resolve("users")), """
                authorization {
                  users: [
                    {user: mq, password: pw, permissions: {publish: ["pub.>"], subscribe: ["sub.>", "$MQTT.sub.>"]}}
                    {user: natsonly, password: pw, allowed_connection_types: ["STANDARD"]}
                    {user: mqttonly, password: pw, allowed_connection_types: ["MQTT"]}
                    {user: admin, password: pw}
                  ]
                }
                """);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static int connAck(String id, String user, String password) throws Exception {
        try (RawMqtt c = RawMqtt.connect(server.mqttPort())) {
            return RawMqtt.connAckCode(c, RawMqtt.connectPacket(id, true, 0, user, password));
        }
    }

    private static Connection nats(String user) throws Exception {
        return Nats.connect(new Options.Builder().server(server.natsUrl()).userInfo(user, "pw")
                .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(0).build());
    }

    @Test
    void credentialsAndConnectionTypesAreCheckedByTheKernel() throws Exception {
        assertEquals(0, connAck("a1", "mq", "pw"), "a configured user is accepted");
        assertEquals(5, connAck("a2", "mq", "wrong"), "a wrong password is not authorized");
        assertEquals(5, connAck("a3", null, null), "no credentials where users are required");
        assertEquals(5, connAck("a4", "natsonly", "pw"), "a user not allowed MQTT connections is refused");
        assertEquals(0, connAck("a5", "mqttonly", "pw"), "a user allowed MQTT only may connect over MQTT");
        assertThrows(Exception.class, () -> nats("mqttonly").close(), "and not as a NATS client");
    }

    @Test
    void permissionsApplyToMqttPublishesAndSubscriptions() throws Exception {
        try (Connection admin = nats("admin"); RawMqtt c = RawMqtt.connect(server.mqttPort())) {
            Subscription all = admin.subscribe(">");
            admin.flush(Duration.ofSeconds(2));
            assertEquals(0, RawMqtt.connAckCode(c, RawMqtt.connectPacket("perm", true, 0, "mq", "pw")), "accepted");
            c.send(RawMqtt.publishPacket("denied/x", "no", 1, 1, false));
            RawMqtt.Packet ack = c.await(0x40, 3000);
            assertNotNull(ack, "a denied QoS 1 publish is still acknowledged (Go)");
            c.send(RawMqtt.publishPacket("pub/x", "yes", 1, 2, false));
            assertNotNull(c.await(0x40, 3000), "an allowed QoS 1 publish is acknowledged");
            Message m = all.nextMessage(Duration.ofSeconds(3));
            while (m != null && m.getSubject().startsWith("$")) {
                m = all.nextMessage(Duration.ofSeconds(3));
            }
            assertNotNull(m, "the allowed message reaches NATS");
            assertEquals("pub.x", m.getSubject(), "only the allowed one (denied/x was dropped)");
            c.send(RawMqtt.concat(RawMqtt.subscribePacket(3, "sub/a", 1), RawMqtt.subscribePacket(4, "other/a", 0)));
            RawMqtt.Packet ok = c.await(0x90, 3000);
            RawMqtt.Packet refused = c.await(0x90, 3000);
            assertNotNull(ok, "SUBACK for sub/a");
            assertNotNull(refused, "SUBACK for other/a");
            assertArrayEquals(new byte[] {0, 3, 1}, ok.body(), "sub/a granted at QoS 1 (with $MQTT.sub.> allowed)");
            assertArrayEquals(new byte[] {0, 4, (byte) 0x80}, refused.body(), "other/a refused with 0x80");
            admin.publish("sub.a", "to-mqtt".getBytes(StandardCharsets.UTF_8));
            RawMqtt.Packet p = c.await(0x30, 3000);
            assertNotNull(p, "NATS publish reaches the permitted MQTT subscription");
            assertEquals("sub/a", p.topic(), "topic");
        }
    }

    @Test
    void mqttBlockCredentialsReplaceTheServers() throws Exception {
        try (MqttTestServer s = MqttTestServer.start(Files.createDirectories(dir.resolve("override")), """
                authorization { user: natsuser, password: natspw }
                mqtt { port: %mqtt, authorization { username: mqttuser, password: mqttpw } }
                """)) {
            try (RawMqtt c = RawMqtt.connect(s.mqttPort())) {
                assertEquals(0, RawMqtt.connAckCode(c, RawMqtt.connectPacket("o1", true, 0, "mqttuser", "mqttpw")),
                        "the mqtt block's user is accepted");
            }
            try (RawMqtt c = RawMqtt.connect(s.mqttPort())) {
                assertEquals(5, RawMqtt.connAckCode(c, RawMqtt.connectPacket("o2", true, 0, "natsuser", "natspw")),
                        "the server's user is not, for MQTT clients");
            }
            try (Connection nc = Nats.connect(new Options.Builder().server(s.natsUrl()).userInfo("natsuser", "natspw")
                    .maxReconnects(0).build())) {
                assertTrue(nc.getStatus() == Connection.Status.CONNECTED, "NATS clients keep the server's user");
            }
        }
        try (MqttTestServer s = MqttTestServer.start(Files.createDirectories(dir.resolve("token")),
                "mqtt { port: %mqtt, authorization { token: sesame } }\n")) {
            try (RawMqtt c = RawMqtt.connect(s.mqttPort())) {
                assertEquals(0, RawMqtt.connAckCode(c, RawMqtt.connectPacket("t1", true, 0, "any", "sesame")),
                        "a token is given as the password (Go reads the password as token and JWT too)");
            }
            try (RawMqtt c = RawMqtt.connect(s.mqttPort())) {
                assertEquals(5, RawMqtt.connAckCode(c, RawMqtt.connectPacket("t2", true, 0, "any", "wrong")),
                        "a wrong token is not authorized");
            }
        }
    }

    @Test
    void noAuthUserOfTheMqttBlockAppliesToMqttClientsOnly() throws Exception {
        try (MqttTestServer s = MqttTestServer.start(Files.createDirectories(dir.resolve("noauth")), """
                authorization { users: [
                  {user: guest, password: gpw, permissions: {publish: ["guest.>"], subscribe: ["guest.>"]}}
                  {user: admin, password: apw}
                ] }
                mqtt { port: %mqtt, no_auth_user: guest }
                """);
             Connection admin = Nats.connect(new Options.Builder().server(s.natsUrl()).userInfo("admin", "apw")
                     .maxReconnects(0).build())) {
            Subscription all = admin.subscribe(">");
            admin.flush(Duration.ofSeconds(2));
            try (RawMqtt c = RawMqtt.connect(s.mqttPort())) {
                assertEquals(0, RawMqtt.connAckCode(c, RawMqtt.connectPacket("anon", true, 0, null, null)),
                        "no credentials: the block's no_auth_user");
                c.send(RawMqtt.concat(RawMqtt.publishPacket("other/x", "no", 0, 0, false),
                        RawMqtt.publishPacket("guest/x", "yes", 0, 0, false)));
                Message m = all.nextMessage(Duration.ofSeconds(3));
                while (m != null && m.getSubject().startsWith("$")) {
                    m = all.nextMessage(Duration.ofSeconds(3));
                }
                assertNotNull(m, "the guest's allowed publish arrives");
                assertEquals("guest.x", m.getSubject(), "with the guest's permissions (other/x was denied)");
            }
            assertThrows(Exception.class, () -> Nats.connect(new Options.Builder().server(s.natsUrl())
                    .maxReconnects(0).build()).close(), "NATS clients without credentials are still refused");
        }
    }

    @Test
    void mqttBlockCredentialsAreCheckedAgainstTheServersAsGoDoes() throws Exception {
        Exception unknown = assertThrows(Exception.class, () -> MqttTestServer.start(
                Files.createDirectories(dir.resolve("bad1")), """
                authorization { users: [{user: a, password: pw}] }
                mqtt { port: %mqtt, no_auth_user: nobody }
                """).close());
        assertTrue(unknown.getMessage().contains("no_auth_user: \"nobody\" not present as user in authorization "
                + "block or account configuration"), unknown.getMessage());
        Exception mixed = assertThrows(Exception.class, () -> MqttTestServer.start(
                Files.createDirectories(dir.resolve("bad2")), """
                authorization { users: [{user: a, password: pw}] }
                mqtt { port: %mqtt, authorization { username: x, password: y } }
                """).close());
        assertTrue(mixed.getMessage().contains("mqtt authentication username not compatible with presence of "
                + "users/nkeys"), mixed.getMessage());
    }

    @Test
    void userJwtInThePasswordInOperatorMode() throws Exception {
        TestJwts.Key operator = TestJwts.key('O');
        TestJwts.Key sys = TestJwts.key('A');
        TestJwts.Key acc = TestJwts.key('A');
        TestJwts.Key user = TestJwts.key('U');
        TestJwts.Key natsUser = TestJwts.key('U');
        String userJwt = TestJwts.bearerUser(acc, user, "\"allowed_connection_types\":[\"MQTT\"]");
        String natsOnlyJwt = TestJwts.bearerUser(acc, natsUser, "\"allowed_connection_types\":[\"STANDARD\"]");
        try (MqttTestServer s = MqttTestServer.start(Files.createDirectories(dir.resolve("jwt")), "operator: "
                + TestJwts.operator(operator) + "\nsystem_account: " + sys.publicKey() + "\nresolver: MEMORY\n"
                + "resolver_preload: {\n  " + sys.publicKey() + ": " + TestJwts.account(operator, sys, "SYS") + "\n  "
                + acc.publicKey() + ": " + TestJwts.account(operator, acc, "ACC") + "\n}\n")) {
            try (RawMqtt c = RawMqtt.connect(s.mqttPort())) {
                assertEquals(0, RawMqtt.connAckCode(c, RawMqtt.connectPacket("jwt-1", true, 0, "anything", userJwt)),
                        "a bearer user JWT given as the password is accepted (Go reads the password as JWT)");
                c.send(RawMqtt.subscribePacket(1, "jwt/t", 1));
                RawMqtt.Packet ack = c.await(0x90, 5000);
                assertNotNull(ack, "SUBACK");
                assertEquals(1, ack.body()[2], "QoS 1 granted: the account's JetStream holds the session");
            }
            try (RawMqtt c = RawMqtt.connect(s.mqttPort())) {
                assertEquals(5, RawMqtt.connAckCode(c, RawMqtt.connectPacket("jwt-2", true, 0, "x", natsOnlyJwt)),
                        "a JWT whose connection types leave out MQTT is not authorized");
            }
            try (RawMqtt c = RawMqtt.connect(s.mqttPort())) {
                assertEquals(5, RawMqtt.connAckCode(c, RawMqtt.connectPacket("jwt-3", true, 0, "x", "not-a-jwt")),
                        "no valid JWT, no entry");
            }
        }
    }

    @Test
    void unauthenticatedClientThatNeverConnectsIsClosed() throws Exception {
        try (RawMqtt c = RawMqtt.connect(server.mqttPort())) {
            assertTrue(c.closedWithin(5000), "no CONNECT within the auth timeout: closed");
        }
    }
}
