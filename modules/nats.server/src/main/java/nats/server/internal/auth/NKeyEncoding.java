package nats.server.internal.auth;

import java.util.Arrays;

/** The nkey string frame: prefix byte(s), payload, CRC-16 little-endian, all in unpadded base32. */
final class NKeyEncoding {

    /** The seed prefix byte; its low three bits carry the top of the key type's prefix. */
    static final int SEED_PREFIX = 18 << 3;

    private static final int CHECKSUM_BYTES = 2;
    private static final int MINIMUM_DECODED_BYTES = 4;

    private NKeyEncoding() {
    }

    static String encode(byte[] prefix, byte[] payload) {
        byte[] raw = new byte[prefix.length + payload.length + CHECKSUM_BYTES];
        System.arraycopy(prefix, 0, raw, 0, prefix.length);
        System.arraycopy(payload, 0, raw, prefix.length, payload.length);
        int crc = Crc16.of(raw, 0, raw.length - CHECKSUM_BYTES);
        raw[raw.length - 2] = (byte) crc;
        raw[raw.length - 1] = (byte) (crc >>> 8);
        return Base32.encode(raw);
    }

    /** Two prefix bytes that make a seed read "S" followed by the key type's letter. */
    static byte[] seedPrefix(int typePrefix) {
        return new byte[] {(byte) (SEED_PREFIX | (typePrefix >> 5)), (byte) ((typePrefix & 31) << 3)};
    }

    /** Base32-decodes and checks the CRC; returns prefix and payload without the checksum. */
    static byte[] decode(String text) {
        byte[] raw;
        try {
            raw = Base32.decode(text);
        } catch (IllegalArgumentException e) {
            throw new NKeyException(e.getMessage());
        }
        if (raw.length < MINIMUM_DECODED_BYTES) {
            throw new NKeyException("nkeys: invalid encoded key");
        }
        int length = raw.length - CHECKSUM_BYTES;
        int expected = (raw[length] & 0xFF) | (raw[length + 1] & 0xFF) << 8;
        if (Crc16.of(raw, 0, length) != expected) {
            throw new NKeyException("nkeys: invalid checksum");
        }
        return Arrays.copyOf(raw, length);
    }
}
