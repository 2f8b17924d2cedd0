package nats.mqtt.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Framing by the remaining length (spec 2.2.3): any split of the stream gives the same packets. */
class PacketFramerTest {

    private static List<String> frame(byte[] stream, int chunk) throws MqttException {
        List<String> out = new ArrayList<>();
        PacketFramer f = new PacketFramer(1 << 20);
        for (int i = 0; i < stream.length; i += chunk) {
            f.feed(stream, i, Math.min(chunk, stream.length - i), (h, b, o, l) -> {
                out.add(Integer.toHexString(h) + ":" + HexFormat.of().formatHex(b, o, o + l));
                return true;
            });
        }
        return out;
    }

    @Test
    void anySplitGivesTheSamePackets() throws MqttException {
        byte[] big = new byte[200];
        byte[] stream = concat(new byte[] {(byte) 0xc0, 0}, // PINGREQ, no body
                new byte[] {0x40, 2, 0, 7}, // PUBACK, packet id 7
                new byte[] {0x30, (byte) 0xc8, 0x01}, big); // PUBLISH, remaining length 200 in two bytes
        List<String> whole = frame(stream, stream.length);
        assertEquals(3, whole.size(), "three packets");
        for (int chunk = 1; chunk < stream.length; chunk++) {
            assertEquals(whole, frame(stream, chunk), "same packets when read " + chunk + " bytes at a time");
        }
    }

    @Test
    void aFiveByteLengthIsMalformed() {
        byte[] bad = {0x30, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
        MqttException e = assertThrows(MqttException.class, () -> frame(bad, bad.length));
        assertEquals("malformed variable int", e.getMessage(), "Go's text");
    }

    @Test
    void aPacketOverTheLimitIsRefused() {
        byte[] big = {0x30, (byte) 0x80, (byte) 0x80, 0x01}; // 16384 bytes announced
        assertThrows(MqttException.class, () -> {
            PacketFramer f = new PacketFramer(1000);
            f.feed(big, 0, big.length, (h, b, o, l) -> true);
        }, "over the maximum");
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
