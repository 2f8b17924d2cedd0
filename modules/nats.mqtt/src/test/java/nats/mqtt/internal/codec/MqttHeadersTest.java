package nats.mqtt.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Go's MQTT headers on NATS messages, read as Go's getHeader reads them. */
class MqttHeadersTest {

    @Test
    void publishQosAndStagedFlags() {
        byte[] h = MqttHeaders.publishBlock(1);
        assertEquals("NATS/1.0\r\nNmqtt-Pub:1\r\n\r\n", new String(h, StandardCharsets.US_ASCII), "Go's block");
        assertEquals(1, MqttHeaders.publishQos(h, 0, h.length), "QoS read back");
        byte[] staged = MqttHeaders.stagedBlock((2 << 1) | Packets.PUBLISH_RETAIN, "a.b".getBytes(StandardCharsets.UTF_8), null);
        assertEquals("NATS/1.0\r\nNmqtt-Pub:25\r\nNmqtt-Subject:a.b\r\n\r\n",
                new String(staged, StandardCharsets.US_ASCII), "QoS and flags nibble (later Go's form), subject");
        assertEquals(2, MqttHeaders.publishQos(staged, 0, staged.length), "the first byte stays the QoS");
        assertEquals(5, MqttHeaders.stagedFlags(staged, 0, staged.length), "flags: retain + QoS 2");
        assertArrayEquals("a.b".getBytes(StandardCharsets.UTF_8),
                MqttHeaders.value(staged, 0, staged.length, MqttHeaders.SUBJECT), "subject");
        byte[] other = "NATS/1.0\r\nX-Nmqtt-Pub:1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(-1, MqttHeaders.publishQos(other, 0, other.length), "a key must start its line");
        byte[] rel = MqttHeaders.pubRelBlock(65535);
        assertEquals(65535, MqttHeaders.pubRelPacketId(rel, 0, rel.length), "PUBREL marker's packet id");
    }
}
