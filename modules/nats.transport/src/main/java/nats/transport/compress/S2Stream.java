package nats.transport.compress;

import java.util.zip.CRC32C;

/**
 * The framing of Go's compressed routes: the S2 stream format of klauspost/compress (a superset of Snappy's
 * framing). A stream is a sequence of chunks, each a type byte, a 3-byte little-endian length and a body: the
 * stream identifier ({@code 0xff}, "S2sTwO" or Snappy's "sNaPpY"), compressed data ({@code 0x00}: the masked
 * CRC-32C of the uncompressed bytes, then one block) or uncompressed data ({@code 0x01}: CRC, then the bytes).
 * Types {@code 0x02..0x7f} are reserved and refused; {@code 0x80..0xfe} are skipped (padding, S2's index).
 */
final class S2Stream {

    static final int STREAM_IDENTIFIER = 0xff;
    static final int COMPRESSED = 0x00;
    static final int UNCOMPRESSED = 0x01;
    /** S2's largest block (a Snappy stream's are at most 64 KiB). */
    static final int MAX_BLOCK = 4 << 20;
    /** The identifier chunk as Go's S2 writer starts every stream with it. */
    static final byte[] IDENTIFIER = {(byte) 0xff, 6, 0, 0, 'S', '2', 's', 'T', 'w', 'O'};

    private S2Stream() {
    }

    /** The CRC a chunk carries: CRC-32C of the uncompressed bytes, masked as Snappy's framing masks it. */
    static int maskedCrc(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + 0xa282ead8;
    }

    static int intLE(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    static void putIntLE(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
    }

    /** A chunk header: type and body length. */
    static void putHeader(byte[] b, int i, int type, int bodyLength) {
        b[i] = (byte) type;
        b[i + 1] = (byte) bodyLength;
        b[i + 2] = (byte) (bodyLength >>> 8);
        b[i + 3] = (byte) (bodyLength >>> 16);
    }
}
