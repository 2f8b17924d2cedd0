package nats.mqtt.internal.codec;

import java.util.Arrays;

/**
 * Cuts the byte stream of one connection into MQTT control packets: the fixed header byte, the remaining length
 * (the spec's variable-length integer, at most four bytes) and that many bytes. Complete packets are handed over
 * as slices of the read buffer; only a packet split across reads is copied, into a buffer kept for the next read.
 */
public final class PacketFramer {

    /** Receives each complete packet; the slice is valid only during the call. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @return false to stop framing (the connection is going away); the rest of the bytes are dropped
         */
        boolean packet(int header, byte[] buffer, int offset, int length) throws MqttException;
    }

    private final int maxRemainingLength;
    private byte[] carry = new byte[0];
    private int carryLength;

    /** @param maxRemainingLength the largest packet body accepted; larger ones close the connection */
    public PacketFramer(int maxRemainingLength) {
        this.maxRemainingLength = maxRemainingLength;
    }

    /** Frames the bytes of one read, continuing a packet left incomplete by the previous one. */
    public void feed(byte[] buffer, int offset, int length, Sink sink) throws MqttException {
        if (carryLength > 0) {
            append(buffer, offset, length);
            int used = frame(carry, 0, carryLength, sink);
            if (used < 0) {
                carryLength = 0;
                return;
            }
            System.arraycopy(carry, used, carry, 0, carryLength - used);
            carryLength -= used;
            shrinkWhenIdle();
            return;
        }
        int used = frame(buffer, offset, length, sink);
        if (used >= 0 && used < length) {
            append(buffer, offset + used, length - used);
        }
    }

    /** Whether a packet is partly received. */
    public boolean hasPartialPacket() {
        return carryLength > 0;
    }

    /** Frames complete packets from the slice; returns how many bytes they used, or -1 when the sink stopped. */
    private int frame(byte[] b, int start, int length, Sink sink) throws MqttException {
        int pos = start;
        int end = start + length;
        while (pos < end) {
            int header = b[pos] & 0xff;
            int lengthStart = pos + 1;
            int remaining = 0;
            int multiplier = 1;
            int i = lengthStart;
            boolean complete = false;
            while (i < end) {
                int digit = b[i++] & 0xff;
                remaining += (digit & 0x7f) * multiplier;
                if ((digit & 0x80) == 0) {
                    complete = true;
                    break;
                }
                multiplier *= 0x80;
                if (multiplier > 0x200000) {
                    throw new MqttException("malformed variable int");
                }
            }
            if (!complete) {
                break;
            }
            if (remaining > maxRemainingLength) {
                throw new MqttException("packet of " + remaining + " bytes exceeds the maximum of "
                        + maxRemainingLength);
            }
            if (end - i < remaining) {
                break;
            }
            if (!sink.packet(header, b, i, remaining)) {
                return -1;
            }
            pos = i + remaining;
        }
        return pos - start;
    }

    private void append(byte[] b, int offset, int length) {
        if (carryLength + length > carry.length) {
            carry = Arrays.copyOf(carry, Math.max(carryLength + length, Math.max(256, carry.length * 2)));
        }
        System.arraycopy(b, offset, carry, carryLength, length);
        carryLength += length;
    }

    /** A large packet's buffer is not kept once it has been handled. */
    private void shrinkWhenIdle() {
        if (carryLength == 0 && carry.length > 64 * 1024) {
            carry = new byte[0];
        }
    }
}
