package nats.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import nats.mqtt.testing.MqttTestServer;
import nats.mqtt.testing.Paho;
import nats.mqtt.testing.RawMqtt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * QoS 2 as Go 2.10 does it (spec 4.3.3, method A on receipt), max_ack_pending, retained messages per account, and
 * Go's hold on client ids whose clients keep replacing each other.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Qos2AndLimitsTest {

    @TempDir
    static Path dir;
    static MqttTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = MqttTestServer.start(Files.createDirectories(dir.resolve("main")), """
                accounts {
                  A { jetstream: enabled, users: [{user: a, password: pw}] }
                  B { jetstream: enabled, users: [{user: b, password: pw}] }
                }
                mqtt { port: %mqtt, ack_wait: "1s", max_ack_pending: 3 }
                """);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static RawMqtt connected(String id, boolean clean, String user) throws Exception {
        RawMqtt c = RawMqtt.connect(server.mqttPort());
        assertEquals(0, RawMqtt.connAckCode(c, RawMqtt.connectPacket(id, clean, 0, user, user == null ? null : "pw")),
                id + " accepted");
        return c;
    }

    @Test
    void qos2PublishIsDeliveredOnceEvenWhenRetried() throws Exception {
        try (RawMqtt sub = connected("q2-sub", true, "a"); RawMqtt pub = connected("q2-pub", true, "a")) {
            sub.send(RawMqtt.subscribePacket(1, "q2/once", 2));
            assertNotNull(sub.await(0x90, 3000), "SUBACK");
            pub.send(RawMqtt.publishPacket("q2/once", "exactly", 2, 42, false));
            RawMqtt.Packet rec = pub.await(0x50, 3000);
            assertNotNull(rec, "PUBREC");
            assertEquals(42, rec.packetId(), "for packet 42");
            assertNull(sub.await(0x30, 500), "nothing is delivered before the PUBREL (method A)");
            // The sender did not see the PUBREC and retries with DUP: stored once only.
            byte[] retry = RawMqtt.publishPacket("q2/once", "exactly", 2, 42, false);
            retry[0] |= 0x08;
            pub.send(retry);
            assertNotNull(pub.await(0x50, 3000), "PUBREC again");
            pub.send(RawMqtt.ackPacket(0x62, 42));
            RawMqtt.Packet comp = pub.await(0x70, 3000);
            assertNotNull(comp, "PUBCOMP");
            assertEquals(42, comp.packetId(), "for packet 42");
            pub.send(RawMqtt.ackPacket(0x62, 42));
            assertNotNull(pub.await(0x70, 3000), "a repeated PUBREL is completed too");
            RawMqtt.Packet p = sub.await(0x30, 3000);
            assertNotNull(p, "delivered after the PUBREL");
            assertEquals(2, p.qos(), "at QoS 2");
            assertEquals("exactly", p.payload(), "payload");
            sub.send(RawMqtt.ackPacket(0x50, p.packetId()));
            RawMqtt.Packet rel = sub.await(0x60, 3000);
            assertNotNull(rel, "the server sends PUBREL after the subscriber's PUBREC");
            assertEquals(0x62, rel.header(), "PUBREL with its reserved flags 0010");
            sub.send(RawMqtt.ackPacket(0x70, rel.packetId()));
            assertNull(sub.await(0x30, 1500), "exactly once: no second copy");
        }
    }

    @Test
    void pubRelIsSentAgainAfterReconnect() throws Exception {
        int pi;
        try (RawMqtt sub = connected("q2-rel", false, "a"); RawMqtt pub = connected("q2-rel-pub", true, "a")) {
            sub.send(RawMqtt.subscribePacket(1, "q2/rel", 2));
            assertNotNull(sub.await(0x90, 3000), "SUBACK");
            pub.send(RawMqtt.publishPacket("q2/rel", "m", 2, 1, false));
            assertNotNull(pub.await(0x50, 3000), "PUBREC");
            pub.send(RawMqtt.ackPacket(0x62, 1));
            assertNotNull(pub.await(0x70, 3000), "PUBCOMP");
            RawMqtt.Packet p = sub.await(0x30, 3000);
            assertNotNull(p, "delivered");
            pi = p.packetId();
            sub.send(RawMqtt.ackPacket(0x50, pi));
            assertNotNull(sub.await(0x60, 3000), "PUBREL");
            // Gone before the PUBCOMP.
        }
        try (RawMqtt again = RawMqtt.connect(server.mqttPort())) {
            again.send(RawMqtt.connectPacket("q2-rel", false, 0, "a", "pw"));
            assertNotNull(again.await(0x20, 3000), "CONNACK");
            RawMqtt.Packet rel = again.await(0x60, 5000);
            assertNotNull(rel, "the unacknowledged PUBREL comes again after the ack wait");
            assertEquals(pi, rel.packetId(), "for the same packet identifier");
            again.send(RawMqtt.ackPacket(0x70, pi));
            assertNull(again.await(0x60, 2000), "completed: no more PUBRELs");
            assertNull(again.await(0x30, 500), "and never the message again");
        }
    }

    @Test
    void aLongQos1StreamArrivesWholeAndOnce() throws Exception {
        // 30,000 QoS 1 messages, 256 in flight, to a QoS 1 subscriber acking as they come: nothing lost (a
        // JetStream consumer that skipped a message stored while it caught up showed here as a gap).
        try (MqttTestServer s = MqttTestServer.start(Files.createDirectories(dir.resolve("stream")))) {
            nats.mqtt.bench.MqttLoad.Run run = nats.mqtt.bench.MqttLoad.throughput(s.mqttPort(), 1, 16, 30_000, 256,
                    "whole");
            assertEquals(30_000, run.messages(), "every message delivered");
        }
    }

    @Test
    void maxAckPendingLimitsUnacknowledgedDeliveries() throws Exception {
        try (RawMqtt sub = connected("map-sub", true, "a"); Paho pub = Paho.connect(server.mqttUrl(),
                "map-pub", optionsFor("a"))) {
            sub.send(RawMqtt.subscribePacket(1, "map/t", 1));
            assertNotNull(sub.await(0x90, 3000), "SUBACK");
            for (int i = 0; i < 6; i++) {
                pub.publish("map/t", "m" + i, 1, false);
            }
            int got = 0;
            while (sub.await(0x30, 700) != null) {
                got++;
            }
            assertEquals(3, got, "only max_ack_pending (3) messages are outstanding without PUBACK");
        }
    }

    @Test
    void retainedMessagesBelongToTheirAccount() throws Exception {
        try (Paho pa = Paho.connect(server.mqttUrl(), "ret-a", optionsFor("a"));
             Paho pb = Paho.connect(server.mqttUrl(), "ret-b", optionsFor("b"))) {
            pa.publish("acct/r", "from-a", 1, true);
            pb.publish("acct/r", "from-b", 1, true);
        }
        try (Paho sa = Paho.connect(server.mqttUrl(), "ret-a2", optionsFor("a"));
             Paho sb = Paho.connect(server.mqttUrl(), "ret-b2", optionsFor("b"))) {
            sa.subscribe("acct/r", 1);
            sb.subscribe("acct/r", 1);
            assertEquals("from-a", sa.next(5000).payload(), "account A's retained message");
            assertEquals("from-b", sb.next(5000).payload(), "account B's retained message");
            assertNull(sa.next(300), "nothing of the other account");
        }
    }

    @Test
    void clientIdsThatKeepReplacingEachOtherAreHeldOff() throws Exception {
        try (RawMqtt first = connected("flap", true, "a")) {
            try (RawMqtt second = connected("flap", true, "a")) {
                assertTrue(first.closedWithin(3000), "the first is replaced");
                long start = System.nanoTime();
                try (RawMqtt third = RawMqtt.connect(server.mqttPort())) {
                    third.send(RawMqtt.connectPacket("flap", true, 0, "a", "pw"));
                    assertTrue(third.closedWithin(4000), "a third within the second is closed");
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertTrue(millis >= 900, "after being held for a second (Go): " + millis + " ms");
                }
                assertFalse(second.closedWithin(300), "the second keeps the session");
            }
        }
    }

    private static org.eclipse.paho.client.mqttv3.MqttConnectOptions optionsFor(String user) {
        org.eclipse.paho.client.mqttv3.MqttConnectOptions o = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
        o.setUserName(user);
        o.setPassword("pw".toCharArray());
        o.setCleanSession(true);
        return o;
    }
}
