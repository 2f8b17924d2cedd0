package nats.transport.compress;

import nats.transport.link.LinkChannel;
import nats.transport.protocol.ProtocolException;
import nats.transport.protocol.RouteProtocolParser;

/**
 * Reads what a compressing peer sends (Go's s2.Reader over a route or leaf connection): chunks are collected across reads,
 * checked (identifier first, CRC of every data chunk) and decoded, and the protocol inside goes to the parser.
 * Repeated stream identifiers are accepted (Go starts a new stream at every flush).
 */
public final class S2Reader implements LinkChannel.Decoder {

    private static final int HEADER = 4;
    private static final int MAX_CHUNK = S2Stream.MAX_BLOCK + S2Stream.MAX_BLOCK / 8 + 64;

    /** A chunk begun in an earlier read. */
    private byte[] carry = new byte[4096];
    private int carryLength;
    private byte[] decoded = new byte[64 * 1024];
    private final int[] pos = new int[1];
    private boolean identified;

    @Override
    public void decode(byte[] buffer, int offset, int length, RouteProtocolParser parser) throws ProtocolException {
        int i = offset;
        int end = offset + length;
        if (carryLength > 0) {
            // Complete the header, then the chunk, from this read.
            int need = carryLength < HEADER ? HEADER - carryLength : 0;
            int take = Math.min(need, end - i);
            append(buffer, i, take);
            i += take;
            if (carryLength < HEADER) {
                return;
            }
            int total = HEADER + bodyLength(carry, 0);
            take = Math.min(total - carryLength, end - i);
            append(buffer, i, take);
            i += take;
            if (carryLength < total) {
                return;
            }
            chunk(carry, 0, total, parser);
            carryLength = 0;
        }
        while (end - i >= HEADER) {
            int total = HEADER + bodyLength(buffer, i);
            if (end - i < total) {
                break;
            }
            chunk(buffer, i, total, parser);
            i += total;
        }
        append(buffer, i, end - i);
    }

    private int bodyLength(byte[] b, int i) throws ProtocolException {
        int n = (b[i + 1] & 0xff) | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff) << 16;
        if (n > MAX_CHUNK) {
            throw corrupt("chunk of " + n + " bytes");
        }
        return n;
    }

    private void append(byte[] b, int off, int len) {
        if (len <= 0) {
            return;
        }
        if (carryLength + len > carry.length) {
            carry = java.util.Arrays.copyOf(carry, Math.max(carry.length * 2, carryLength + len));
        }
        System.arraycopy(b, off, carry, carryLength, len);
        carryLength += len;
    }

    /** One whole chunk at {@code b[off..off+total)}. */
    private void chunk(byte[] b, int off, int total, RouteProtocolParser parser) throws ProtocolException {
        int type = b[off] & 0xff;
        int body = off + HEADER;
        int bodyLength = total - HEADER;
        if (type == S2Stream.STREAM_IDENTIFIER) {
            if (bodyLength != 6 || !(magic(b, body, "S2sTwO") || magic(b, body, "sNaPpY"))) {
                throw corrupt("bad stream identifier");
            }
            identified = true;
            return;
        }
        if (!identified) {
            throw corrupt("data before the stream identifier");
        }
        if (type == S2Stream.COMPRESSED || type == S2Stream.UNCOMPRESSED) {
            if (bodyLength < 4) {
                throw corrupt("data chunk without its checksum");
            }
            int crc = S2Stream.intLE(b, body);
            if (type == S2Stream.UNCOMPRESSED) {
                check(crc, b, body + 4, bodyLength - 4);
                parser.parse(b, body + 4, bodyLength - 4);
                return;
            }
            int n;
            try {
                n = S2BlockDecoder.decodedLength(b, body + 4, off + total, pos);
                if (decoded.length < n) {
                    decoded = new byte[Math.max(n, decoded.length * 2)];
                }
                S2BlockDecoder.decode(b, pos[0], off + total, decoded, n);
            } catch (S2BlockDecoder.CorruptBlockException e) {
                throw corrupt(e.getMessage());
            }
            check(crc, decoded, 0, n);
            parser.parse(decoded, 0, n);
            return;
        }
        if (type <= 0x7f) {
            throw corrupt("reserved chunk type " + type);
        }
        // 0x80..0xfe: skippable (padding, index).
    }

    private static void check(int crc, byte[] b, int off, int len) throws ProtocolException {
        if (S2Stream.maskedCrc(b, off, len) != crc) {
            throw corrupt("checksum mismatch");
        }
    }

    private static boolean magic(byte[] b, int off, String text) {
        for (int k = 0; k < 6; k++) {
            if (b[off + k] != (byte) text.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static ProtocolException corrupt(String what) {
        return ProtocolException.closeSilently("compressed stream is corrupt: " + what);
    }
}
