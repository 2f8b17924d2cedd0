package nats.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import nats.mqtt.testing.MqttTestServer;
import nats.mqtt.testing.Paho;
import nats.mqtt.testing.RawMqtt;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions (spec 3.1.2.4, 4.1): persistent subscriptions and queued QoS 1 messages across reconnects and server
 * restarts, redelivery of unacknowledged messages with DUP, clean sessions, takeover by a second client with the
 * same id [MQTT-3.1.4-2], wills [MQTT-3.1.2-8], retained messages [MQTT-3.3.1-5..11], keep-alive [MQTT-3.1.2-24].
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionsTest {

    @TempDir
    static Path dir;
    static MqttTestServer server;

    @BeforeAll
    static void start() throws Exception {
        // A short ack wait, so redelivery after a lost PUBACK is quick to see.
        server = MqttTestServer.start(Files.createDirectories(dir.resolve("main")),
                "mqtt { port: %mqtt, ack_wait: \"1s\" }\n");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static boolean connectReportsSessionPresent(String clientId, boolean clean, Paho[] out) throws Exception {
        MqttClient c = new MqttClient(server.mqttUrl(), clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(clean);
        IMqttToken token = c.connectWithResult(o);
        c.disconnect();
        c.close();
        out[0] = Paho.connect(server.mqttUrl(), clientId, clean);
        return token.getSessionPresent();
    }

    @Test
    void persistentSessionKeepsSubscriptionsAndQueuesQos1() throws Exception {
        try (Paho sub = Paho.connect(server.mqttUrl(), "persist-1", false)) {
            sub.subscribe("persist/t", 1);
        }
        try (Paho pub = Paho.connect(server.mqttUrl(), "persist-pub", true)) {
            for (int i = 0; i < 3; i++) {
                pub.publish("persist/t", "m" + i, 1, false);
            }
        }
        MqttClient c = new MqttClient(server.mqttUrl(), "persist-1", new MemoryPersistence());
        Set<String> got = java.util.concurrent.ConcurrentHashMap.newKeySet();
        c.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                got.add(new String(message.getPayload()));
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        IMqttToken token = c.connectWithResult(o);
        assertTrue(token.getSessionPresent(), "CONNACK says the session is present [MQTT-3.2.2-2]");
        long deadline = System.currentTimeMillis() + 5000;
        while (got.size() < 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(Set.of("m0", "m1", "m2"), got, "the QoS 1 messages published while away arrive on resume");
        c.disconnect();
        c.close();
    }

    @Test
    void unacknowledgedQos1IsRedeliveredWithDupAfterReconnect() throws Exception {
        try (RawMqtt a = RawMqtt.connect(server.mqttPort())) {
            assertEquals(0, RawMqtt.connAckCode(a, RawMqtt.connectPacket("redeliver-1", false, 0, null, null)),
                    "accepted");
            a.send(RawMqtt.subscribePacket(1, "redeliver/t", 1));
            assertNotNull(a.await(0x90, 5000), "SUBACK");
            try (Paho pub = Paho.connect(server.mqttUrl(), "redeliver-pub", true)) {
                pub.publish("redeliver/t", "once", 1, false);
            }
            RawMqtt.Packet p = a.await(0x30, 5000);
            assertNotNull(p, "the message is delivered");
            assertEquals(1, p.qos(), "at QoS 1");
            assertFalse(p.dup(), "first delivery is not a duplicate");
            // No PUBACK: the connection goes away.
        }
        try (RawMqtt b = RawMqtt.connect(server.mqttPort())) {
            b.send(RawMqtt.connectPacket("redeliver-1", false, 0, null, null));
            RawMqtt.Packet connAck = b.await(0x20, 5000);
            assertNotNull(connAck, "CONNACK");
            assertEquals(1, connAck.body()[0], "session present");
            RawMqtt.Packet again = b.await(0x30, 5000);
            assertNotNull(again, "the unacknowledged message comes again after the ack wait");
            assertEquals("once", again.payload(), "same message");
            assertTrue(again.dup(), "marked as a duplicate (DUP=1)");
            b.send(RawMqtt.ackPacket(0x40, again.packetId()));
            assertNull(b.await(0x30, 2500), "acknowledged: not sent again");
            b.send(RawMqtt.DISCONNECT);
        }
    }

    @Test
    void cleanSessionDiscardsWhatWasStored() throws Exception {
        try (Paho sub = Paho.connect(server.mqttUrl(), "clean-1", false)) {
            sub.subscribe("clean/t", 1);
        }
        Paho[] c = new Paho[1];
        assertFalse(connectReportsSessionPresent("clean-1", true, c), "a clean connect never reports a session");
        try (Paho again = c[0]; Paho pub = Paho.connect(server.mqttUrl(), "clean-pub", true)) {
            pub.publish("clean/t", "lost", 1, false);
            assertNull(again.next(500), "the old subscription is gone [MQTT-3.1.2-6]");
        }
        assertFalse(connectReportsSessionPresent("clean-1", false, c), "nothing was kept of the clean session");
        c[0].close();
    }

    @Test
    void secondClientWithTheSameIdReplacesTheFirst() throws Exception {
        Paho first = Paho.connect(server.mqttUrl(), "takeover-1", false);
        first.subscribe("takeover/t", 0);
        try (Paho second = Paho.connect(server.mqttUrl(), "takeover-1", false)) {
            long deadline = System.currentTimeMillis() + 5000;
            while (first.isConnected() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertFalse(first.isConnected(), "the first client is disconnected [MQTT-3.1.4-2]");
            try (Paho pub = Paho.connect(server.mqttUrl(), "takeover-pub", true)) {
                pub.publish("takeover/t", "to-second", 0, false);
            }
            Paho.Received r = second.next(5000);
            assertNotNull(r, "the second client has the session's subscription");
            assertEquals("to-second", r.payload(), "payload");
        } finally {
            first.kill();
        }
    }

    @Test
    void willIsPublishedOnAbnormalEndOnly() throws Exception {
        try (Paho watcher = Paho.connect(server.mqttUrl(), "will-watch", true)) {
            watcher.subscribe("will/#", 1);
            RawMqtt dies = RawMqtt.connect(server.mqttPort());
            assertEquals(0, RawMqtt.connAckCode(dies, RawMqtt.connectPacket("MQTT", 4, "will-1", true, 0, null, null,
                    "will/gone", "bye", 1, false)), "accepted");
            dies.close();
            Paho.Received r = watcher.next(5000);
            assertNotNull(r, "the will is published when the connection drops");
            assertEquals("will/gone", r.topic(), "will topic");
            assertEquals("bye", r.payload(), "will message");
            assertEquals(1, r.qos(), "at the will's QoS");
            try (RawMqtt polite = RawMqtt.connect(server.mqttPort())) {
                assertEquals(0, RawMqtt.connAckCode(polite, RawMqtt.connectPacket("MQTT", 4, "will-2", true, 0, null,
                        null, "will/polite", "bye", 0, false)), "accepted");
                polite.send(RawMqtt.DISCONNECT);
                assertTrue(polite.closedWithin(2000), "DISCONNECT closes");
            }
            assertNull(watcher.next(500), "no will after DISCONNECT [MQTT-3.1.2-8]");
        }
    }

    @Test
    void retainedMessagesSetReplaceAndClear() throws Exception {
        try (Paho pub = Paho.connect(server.mqttUrl(), "ret-pub", true)) {
            pub.publish("ret/a", "first", 1, true);
            pub.publish("ret/a", "second", 1, true);
            pub.publish("ret/b", "other", 0, true);
        }
        try (Paho sub = Paho.connect(server.mqttUrl(), "ret-sub", true)) {
            sub.subscribe("ret/+", 1);
            Set<String> got = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                Paho.Received r = sub.next(5000);
                assertNotNull(r, "retained message " + i + " arrives on subscribe");
                assertTrue(r.retained(), "sent with RETAIN=1 [MQTT-3.3.1-8]");
                got.add(r.topic() + "=" + r.payload() + "@" + r.qos());
            }
            assertEquals(Set.of("ret/a=second@1", "ret/b=other@0"), got,
                    "the last retained message per topic, at the lower of its QoS and the subscription's");
            assertNull(sub.next(300), "only one per topic");
        }
        try (Paho pub = Paho.connect(server.mqttUrl(), "ret-pub2", true)) {
            pub.publish("ret/a", "", 0, true);
        }
        try (Paho sub = Paho.connect(server.mqttUrl(), "ret-sub2", true)) {
            sub.subscribe("ret/+", 0);
            Paho.Received r = sub.next(5000);
            assertNotNull(r, "ret/b is still retained");
            assertEquals("ret/b", r.topic(), "an empty retained payload cleared ret/a [MQTT-3.3.1-10]");
            assertNull(sub.next(300), "ret/a is gone");
        }
    }

    @Test
    void keepAliveTimeoutClosesTheClient() throws Exception {
        try (RawMqtt c = RawMqtt.connect(server.mqttPort())) {
            assertEquals(0, RawMqtt.connAckCode(c, RawMqtt.connectPacket("ka-1", true, 1, null, null)), "accepted");
            long start = System.nanoTime();
            assertTrue(c.closedWithin(5000), "silent past 1.5 x keep-alive: closed [MQTT-3.1.2-24]");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= 800, "not before the deadline (Go truncates 1.5 s to 1 s): " + millis + " ms");
        }
        try (RawMqtt c = RawMqtt.connect(server.mqttPort())) {
            assertEquals(0, RawMqtt.connAckCode(c, RawMqtt.connectPacket("ka-2", true, 1, null, null)), "accepted");
            for (int i = 0; i < 6; i++) {
                Thread.sleep(400);
                c.send(RawMqtt.PINGREQ);
                assertNotNull(c.await(0xd0, 2000), "PINGRESP " + i);
            }
        }
    }

    @Test
    void sessionsAndRetainedMessagesSurviveARestart() throws Exception {
        Path own = Files.createDirectories(dir.resolve("restart"));
        MqttTestServer s = MqttTestServer.start(own);
        try {
            try (Paho sub = Paho.connect(s.mqttUrl(), "restart-1", false)) {
                sub.subscribe("restart/t", 1);
            }
            try (Paho pub = Paho.connect(s.mqttUrl(), "restart-pub", true)) {
                pub.publish("restart/t", "queued", 1, false);
                pub.publish("restart/keep", "retained", 1, true);
            }
            s = s.restart();
            try (Paho sub = Paho.connect(s.mqttUrl(), "restart-1", false)) {
                Paho.Received r = sub.next(5000);
                assertNotNull(r, "the queued message is delivered after the restart");
                assertEquals("queued", r.payload(), "payload");
                try (Paho pub = Paho.connect(s.mqttUrl(), "restart-pub", true)) {
                    pub.publish("restart/t", "live", 1, false);
                }
                Paho.Received live = sub.next(5000);
                assertNotNull(live, "the restored subscription gets new messages");
                assertEquals("live", live.payload(), "payload");
            }
            try (Paho late = Paho.connect(s.mqttUrl(), "restart-late", true)) {
                late.subscribe("restart/keep", 1);
                Paho.Received r = late.next(5000);
                assertNotNull(r, "the retained message survived the restart");
                assertTrue(r.retained(), "retained flag");
                assertEquals("retained", r.payload(), "payload");
            }
        } finally {
            s.close();
        }
    }
}
