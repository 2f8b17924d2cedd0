package nats.server.internal.auth;

/** The CRC-16 that guards every nkey string: CCITT polynomial 0x1021, initial value 0 (XMODEM), as nkeys uses. */
final class Crc16 {

    private static final int POLYNOMIAL = 0x1021;

    private Crc16() {
    }

    static int of(byte[] data, int offset, int length) {
        int crc = 0;
        for (int i = offset; i < offset + length; i++) {
            crc ^= (data[i] & 0xFF) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ POLYNOMIAL : crc << 1;
            }
            crc &= 0xFFFF;
        }
        return crc;
    }
}
