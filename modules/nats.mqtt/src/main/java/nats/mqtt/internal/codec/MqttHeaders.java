package nats.mqtt.internal.codec;

import java.nio.charset.StandardCharsets;

/**
 * The NATS headers Go puts on messages that come from MQTT: {@code Nmqtt-Pub} with the QoS (always; a staged
 * QoS 2 message adds its PUBLISH flags as a hex digit, as Go after 2.10 does, so a retained QoS 2 message stays
 * retained), {@code Nmqtt-Subject} and {@code Nmqtt-Mapped} on staged QoS 2 messages, {@code Nmqtt-PubRel} with the
 * packet identifier on outgoing PUBREL markers. Reading follows Go's getHeader: the first occurrence of the key at
 * the start of a header line.
 */
public final class MqttHeaders {

    public static final String PUB = "Nmqtt-Pub";
    public static final String SUBJECT = "Nmqtt-Subject";
    public static final String MAPPED = "Nmqtt-Mapped";
    public static final String PUBREL = "Nmqtt-PubRel";

    private static final byte[] PUB_KEY = "Nmqtt-Pub:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] PUB_BLOCKS = new byte[3][];

    static {
        for (int qos = 0; qos < 3; qos++) {
            PUB_BLOCKS[qos] = ("NATS/1.0\r\nNmqtt-Pub:" + qos + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private MqttHeaders() {
    }

    /** The header block of a message published from MQTT with {@code qos}: {@code NATS/1.0 Nmqtt-Pub:<qos>}. */
    public static byte[] publishBlock(int qos) {
        return PUB_BLOCKS[qos];
    }

    /** The header block of a staged QoS 2 message: QoS and flags, the subject and, when mapped, the mapping. */
    public static byte[] stagedBlock(int flags, byte[] subject, byte[] mapped) {
        StringBuilder b = new StringBuilder(64);
        b.append("NATS/1.0\r\n").append(PUB).append(':').append(Packets.qos(flags))
                .append("0123456789abcdef".charAt(flags & 0x0f)).append("\r\n");
        b.append(SUBJECT).append(':').append(new String(subject, StandardCharsets.UTF_8)).append("\r\n");
        if (mapped != null && mapped.length > 0) {
            b.append(MAPPED).append(':').append(new String(mapped, StandardCharsets.UTF_8)).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The header block of an outgoing PUBREL marker. */
    public static byte[] pubRelBlock(int packetId) {
        return ("NATS/1.0\r\n" + PUBREL + ":" + packetId + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The QoS in {@code Nmqtt-Pub}, or -1 when the header block has none; reads the bytes in place (the fast path
     * of every delivery of a message with headers).
     */
    public static int publishQos(byte[] b, int offset, int length) {
        int i = valueStart(b, offset, length, PUB_KEY);
        if (i < 0 || i >= offset + length || b[i] == '\r') {
            return -1;
        }
        return b[i] - '0';
    }

    /** The PUBLISH flags a staged QoS 2 message carried (the digit after the QoS), 0 when absent. */
    public static int stagedFlags(byte[] b, int offset, int length) {
        byte[] value = value(b, offset, length, PUB);
        if (value == null || value.length < 2) {
            return 0;
        }
        int c = value[1];
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : 0;
    }

    /** A header's value as Go's getHeader finds it, or null. */
    public static byte[] value(byte[] b, int offset, int length, String key) {
        byte[] k = (key + ":").getBytes(StandardCharsets.US_ASCII);
        int i = valueStart(b, offset, length, k);
        if (i < 0) {
            return null;
        }
        int end = offset + length;
        int j = i;
        while (j < end && !(b[j] == '\r' && j + 1 < end && b[j + 1] == '\n')) {
            j++;
        }
        byte[] out = new byte[j - i];
        System.arraycopy(b, i, out, 0, out.length);
        return out;
    }

    /** The packet identifier of a PUBREL marker, 0 when absent or not a number. */
    public static int pubRelPacketId(byte[] b, int offset, int length) {
        byte[] v = value(b, offset, length, PUBREL);
        if (v == null || v.length == 0) {
            return 0;
        }
        int pi = 0;
        for (byte c : v) {
            if (c < '0' || c > '9') {
                return 0;
            }
            pi = pi * 10 + (c - '0');
        }
        return pi & 0xffff;
    }

    /** Where the value of {@code key} (which ends with ':') starts, after spaces; -1 when not found. */
    private static int valueStart(byte[] b, int offset, int length, byte[] key) {
        int end = offset + length;
        int index = indexOf(b, offset, end, key);
        // Go: the key must follow a CRLF.
        if (index < offset + 2 || b[index - 1] != '\n' || b[index - 2] != '\r') {
            return -1;
        }
        int i = index + key.length;
        while (i < end && b[i] == ' ') {
            i++;
        }
        return i;
    }

    private static int indexOf(byte[] b, int from, int end, byte[] key) {
        outer:
        for (int i = from; i <= end - key.length; i++) {
            for (int k = 0; k < key.length; k++) {
                if (b[i + k] != key[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
