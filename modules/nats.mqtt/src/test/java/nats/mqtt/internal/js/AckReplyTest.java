package nats.mqtt.internal.js;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Go's ackReplyInfo on {@code $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>}. */
class AckReplyTest {

    @Test
    void readsDeliveriesAndStreamSequence() {
        byte[] ack = "$JS.ACK.$MQTT_msgs.abc_def.3.1234.77.1700000000000000000.5".getBytes(StandardCharsets.US_ASCII);
        assertEquals(1234, AckReply.streamSequence(ack, 0, ack.length), "stream sequence");
        assertEquals(3, AckReply.deliveries(ack, 0, ack.length), "deliveries");
        long both = AckReply.deliveriesAndSequence(ack, 0, ack.length);
        assertEquals(1234, both & 0xFFFFFFFFFFFFL, "stream sequence, read once");
        assertEquals(3, both >>> 48, "deliveries, read once");
        byte[] other = "$JS.ACK.s.c.1.2".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0, AckReply.deliveriesAndSequence(other, 0, other.length), "not nine tokens: nothing");
    }
}
