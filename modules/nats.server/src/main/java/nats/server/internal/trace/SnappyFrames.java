package nats.server.internal.trace;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32C;

/**
 * The Snappy framing format (what Go's {@code s2.NewWriter(w, s2.WriterSnappyCompat())} writes and any Snappy
 * stream reader reads): the stream identifier, then one chunk per 64 KiB of input, each a Snappy block with the
 * masked CRC-32C of its input, or the input itself where compressing does not make it smaller. The block
 * compressor is a plain greedy one (4-byte hash matches, copies with two-byte offsets): trace events are small
 * JSON documents sent now and then, so the kernel needs no native library for them.
 */
final class SnappyFrames {

    private static final byte[] STREAM_IDENTIFIER = {(byte) 0xff, 6, 0, 0, 's', 'N', 'a', 'P', 'p', 'Y'};
    private static final int COMPRESSED = 0x00;
    private static final int UNCOMPRESSED = 0x01;
    private static final int CHUNK = 64 * 1024;
    private static final int HASH_BITS = 14;
    private static final int MIN_MATCH = 4;
    private static final int MAX_COPY = 64;

    private SnappyFrames() {
    }

    /** {@code input} as a Snappy framed stream. */
    static byte[] encode(byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 2 + 32);
        out.writeBytes(STREAM_IDENTIFIER);
        for (int from = 0; from < input.length; from += CHUNK) {
            int n = Math.min(CHUNK, input.length - from);
            byte[] block = compressBlock(input, from, n);
            boolean worth = block.length < n;
            int length = 4 + (worth ? block.length : n);
            out.write(worth ? COMPRESSED : UNCOMPRESSED);
            out.write(length & 0xff);
            out.write((length >>> 8) & 0xff);
            out.write((length >>> 16) & 0xff);
            writeIntLE(out, maskedCrc(input, from, n));
            if (worth) {
                out.writeBytes(block);
            } else {
                out.write(input, from, n);
            }
        }
        return out.toByteArray();
    }

    /** The framing format's checksum: CRC-32C, rotated and offset so that checksums of checksums differ. */
    static int maskedCrc(byte[] data, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(data, off, len);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + 0xa282ead8;
    }

    /** One Snappy block: the input length as a varint, then literals and copies. */
    static byte[] compressBlock(byte[] in, int off, int len) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(len / 2 + 16);
        writeVarint(out, len);
        int[] table = new int[1 << HASH_BITS];
        java.util.Arrays.fill(table, -1);
        int end = off + len;
        int literalStart = off;
        int i = off;
        while (i + MIN_MATCH <= end) {
            int h = hash(in, i);
            int candidate = table[h];
            table[h] = i;
            if (candidate >= 0 && i - candidate < 65536 && same4(in, candidate, i)) {
                int matchLength = MIN_MATCH;
                while (i + matchLength < end && in[candidate + matchLength] == in[i + matchLength]) {
                    matchLength++;
                }
                writeLiteral(out, in, literalStart, i - literalStart);
                writeCopies(out, i - candidate, matchLength);
                i += matchLength;
                literalStart = i;
            } else {
                i++;
            }
        }
        writeLiteral(out, in, literalStart, end - literalStart);
        return out.toByteArray();
    }

    private static int hash(byte[] in, int i) {
        int v = (in[i] & 0xff) | (in[i + 1] & 0xff) << 8 | (in[i + 2] & 0xff) << 16 | (in[i + 3] & 0xff) << 24;
        return (v * 0x1e35a7bd) >>> (32 - HASH_BITS);
    }

    private static boolean same4(byte[] in, int a, int b) {
        return in[a] == in[b] && in[a + 1] == in[b + 1] && in[a + 2] == in[b + 2] && in[a + 3] == in[b + 3];
    }

    /** A literal: tag 00 with the length minus one in the tag (below 60) or in the 1 to 4 bytes after it. */
    private static void writeLiteral(ByteArrayOutputStream out, byte[] in, int off, int len) {
        if (len == 0) {
            return;
        }
        int n = len - 1;
        if (n < 60) {
            out.write(n << 2);
        } else {
            int bytes = n < (1 << 8) ? 1 : n < (1 << 16) ? 2 : n < (1 << 24) ? 3 : 4;
            out.write((59 + bytes) << 2);
            for (int b = 0; b < bytes; b++) {
                out.write((n >>> (8 * b)) & 0xff);
            }
        }
        out.write(in, off, len);
    }

    /** Copies with a two-byte offset (tag 10), each of 1 to 64 bytes. */
    private static void writeCopies(ByteArrayOutputStream out, int offset, int length) {
        while (length > 0) {
            int n = Math.min(length, MAX_COPY);
            out.write(2 | ((n - 1) << 2));
            out.write(offset & 0xff);
            out.write((offset >>> 8) & 0xff);
            length -= n;
        }
    }

    private static void writeVarint(ByteArrayOutputStream out, int v) {
        while ((v & ~0x7f) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static void writeIntLE(ByteArrayOutputStream out, int v) {
        out.write(v & 0xff);
        out.write((v >>> 8) & 0xff);
        out.write((v >>> 16) & 0xff);
        out.write((v >>> 24) & 0xff);
    }
}
