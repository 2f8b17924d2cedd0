package nats.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import nats.mqtt.testing.MqttTestServer;
import nats.mqtt.testing.Paho;
import nats.mqtt.testing.RawMqtt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed input closes only the offending client, as Go does (with a CONNACK return code first where MQTT has
 * one), while a QoS 1 exchange between two other clients runs on and loses nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProtocolViolationsTest {

    @org.junit.jupiter.api.io.TempDir
    static Path dir;
    static MqttTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = MqttTestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] connect(String id) {
        return RawMqtt.connectPacket(id, true, 0, null, null);
    }

    /** Bytes that break the protocol after a good CONNECT (or instead of one). */
    static java.util.stream.Stream<Arguments> violations() {
        byte[] badUtf8Filter = RawMqtt.packet(0x82, new byte[] {0, 1, 0, 2, (byte) 0xc3, 0x28, 0});
        byte[] badUtf8Topic = RawMqtt.packet(0x30, new byte[] {0, 2, (byte) 0xff, (byte) 0xfe, 'x'});
        return java.util.stream.Stream.of(
                Arguments.of("remaining length of five bytes", true,
                        new byte[] {0x30, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}),
                Arguments.of("SUBSCRIBE with reserved flags 0000", true,
                        RawMqtt.packet(0x80, new byte[] {0, 1, 0, 1, 'a', 0})),
                Arguments.of("UNSUBSCRIBE with reserved flags 0000", true,
                        RawMqtt.packet(0xa0, new byte[] {0, 1, 0, 1, 'a'})),
                Arguments.of("SUBSCRIBE without filters", true, RawMqtt.packet(0x82, new byte[] {0, 1})),
                Arguments.of("SUBSCRIBE with QoS 3", true, RawMqtt.packet(0x82, new byte[] {0, 1, 0, 1, 'a', 3})),
                Arguments.of("topic filter with invalid UTF-8", true, badUtf8Filter),
                Arguments.of("PUBLISH topic with invalid UTF-8", true, badUtf8Topic),
                Arguments.of("PUBLISH with QoS 3", true, RawMqtt.packet(0x36, new byte[] {0, 1, 'a', 0, 1})),
                Arguments.of("PUBLISH QoS 1 with packet id 0", true, RawMqtt.packet(0x32, new byte[] {0, 1, 'a', 0, 0})),
                Arguments.of("PUBLISH with a wildcard topic", true, RawMqtt.publishPacket("a/+", "x", 0, 0, false)),
                Arguments.of("PUBLISH with an empty topic", true, RawMqtt.publishPacket("", "x", 0, 0, false)),
                Arguments.of("PUBLISH topic longer than the packet", true, RawMqtt.packet(0x30, new byte[] {0, 9, 'a'})),
                Arguments.of("PUBACK with packet id 0", true, RawMqtt.ackPacket(0x40, 0)),
                Arguments.of("a second CONNECT", true, connect("again")),
                Arguments.of("packet type 0", true, new byte[] {0x00, 0}),
                Arguments.of("packet type 15", true, new byte[] {(byte) 0xf0, 0}),
                Arguments.of("PUBLISH before CONNECT", false, RawMqtt.publishPacket("a", "x", 0, 0, false)),
                Arguments.of("an HTTP request", false,
                        "GET /mqtt HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void closesOnlyTheOffendingClient(String what, boolean connectFirst, byte[] bytes) throws Exception {
        try (Paho sub = Paho.connect(server.mqttUrl(), "pv-sub", true);
             Paho pub = Paho.connect(server.mqttUrl(), "pv-pub", true);
             RawMqtt bad = RawMqtt.connect(server.mqttPort())) {
            sub.subscribe("pv/t", 1);
            pub.publish("pv/t", "before", 1, false);
            if (connectFirst) {
                assertEquals(0, RawMqtt.connAckCode(bad, connect("pv-bad")), "the bad client's CONNECT is accepted");
            }
            bad.send(bytes);
            assertTrue(bad.closedWithin(3000), what + ": the connection is closed");
            pub.publish("pv/t", "after", 1, false);
            Paho.Received r1 = sub.next(5000);
            Paho.Received r2 = sub.next(5000);
            assertNotNull(r1, what + ": the other clients' first message arrives");
            assertNotNull(r2, what + ": the other clients' second message arrives");
            assertEquals("before", r1.payload(), "in order");
            assertEquals("after", r2.payload(), "in order");
            assertTrue(sub.isConnected() && pub.isConnected(), what + ": the other clients stay connected");
        }
    }

    /** CONNECT packets answered with a CONNACK return code before the close (Go's codes). */
    static java.util.stream.Stream<Arguments> refusedConnects() {
        return java.util.stream.Stream.of(
                Arguments.of("protocol level 3", 1,
                        RawMqtt.connectPacket("MQTT", 3, "lvl", true, 0, null, null, null, null, 0, false)),
                Arguments.of("empty client id without clean session", 2,
                        RawMqtt.connectPacket("", false, 0, null, null)),
                Arguments.of("empty user name", 4, RawMqtt.connectPacket("emptyuser", true, 0, "", null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedConnects")
    void refusedConnectGetsItsReturnCode(String what, int code, byte[] packet) throws Exception {
        try (RawMqtt c = RawMqtt.connect(server.mqttPort())) {
            assertEquals(code, RawMqtt.connAckCode(c, packet), what + ": CONNACK return code");
            assertTrue(c.closedWithin(3000), what + ": then closed");
        }
    }

    /** CONNECT packets Go closes without a CONNACK. */
    static java.util.stream.Stream<Arguments> brokenConnects() {
        byte[] reserved = RawMqtt.connectPacket("reserved", true, 0, null, null);
        reserved[9] |= 0x01; // connect flags: reserved bit
        byte[] passwordOnly = RawMqtt.connectPacket("pwonly", true, 0, null, "secret");
        byte[] badUtf8Id = RawMqtt.packet(0x10, new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 0, 0, 2, (byte) 0xc3, 0x28});
        return java.util.stream.Stream.of(
                Arguments.of("protocol name MQIsdp", RawMqtt.connectPacket("MQIsdp", 3, "old", true, 0, null, null,
                        null, null, 0, false)),
                Arguments.of("connect flags reserved bit", reserved),
                Arguments.of("password without user name", passwordOnly),
                Arguments.of("will QoS 3", RawMqtt.connectPacket("MQTT", 4, "wq3", true, 0, null, null, "w", "m", 3,
                        false)),
                Arguments.of("empty will topic", RawMqtt.connectPacket("MQTT", 4, "wt", true, 0, null, null, "", "m",
                        0, false)),
                Arguments.of("client id of invalid UTF-8 (code 2)", badUtf8Id),
                Arguments.of("truncated CONNECT", RawMqtt.packet(0x10, new byte[] {0, 4, 'M', 'Q'})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenConnects")
    void brokenConnectIsClosed(String what, byte[] packet) throws Exception {
        try (RawMqtt c = RawMqtt.connect(server.mqttPort())) {
            c.send(packet);
            RawMqtt.Packet p = c.read(3000);
            if (p != null) {
                assertEquals(0x20, p.type(), what + ": only a CONNACK may come back");
                assertTrue((p.body()[1] & 0xff) != 0, what + ": and it refuses");
            }
            assertTrue(c.closedWithin(3000), what + ": closed");
        }
    }

    @Test
    void packetSplitAcrossReadsIsReassembled() throws Exception {
        try (Paho sub = Paho.connect(server.mqttUrl(), "split-sub", true);
             RawMqtt c = RawMqtt.connect(server.mqttPort())) {
            sub.subscribe("split/t", 0);
            byte[] all = RawMqtt.concat(connect("split-pub"),
                    RawMqtt.publishPacket("split/t", "x".repeat(300), 0, 0, false),
                    RawMqtt.publishPacket("split/t", "second", 1, 7, false));
            for (byte b : all) {
                c.send(new byte[] {b});
            }
            assertNotNull(c.await(0x20, 3000), "CONNACK");
            RawMqtt.Packet ack = c.await(0x40, 3000);
            assertNotNull(ack, "PUBACK for the QoS 1 publish");
            assertEquals(7, ack.packetId(), "for its packet id");
            assertEquals("x".repeat(300), sub.next(5000).payload(), "first message whole");
            assertEquals("second", sub.next(5000).payload(), "second message whole");
        }
    }
}
