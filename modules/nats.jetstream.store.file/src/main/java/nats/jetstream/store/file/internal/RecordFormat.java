package nats.jetstream.store.file.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The layout of one record in a message block. Every record carries two CRC32C checksums: one over its
 * 24-byte header (so a damaged length is caught before it is trusted, and the scanner can find the next
 * record after damage), one over the whole record.
 *
 * <pre>
 *  0  u8   magic 0xB7
 *  1  u8   type: MESSAGE, TOMBSTONE, ERASED, SKIP, FLOOR
 *  2  u8   flags: HAS_TTL, ENCRYPTED, PADDED
 *  3  u8   reserved (0)
 *  4  u32  record length, header to trailer inclusive
 *  8  u64  sequence (MESSAGE, ERASED, SKIP: its own; TOMBSTONE: the deleted one; FLOOR: the new first)
 * 16  u64  timestamp, nanoseconds since the epoch
 * 24  u32  CRC32C of bytes 0..24
 * 28  body
 * L-4 u32  CRC32C of bytes 0..L-4
 *
 * MESSAGE body: u16 subject length, u32 headers length, [u64 ttl if HAS_TTL], subject, headers, payload;
 *               when ENCRYPTED the body is that plaintext sealed with AEAD (16-byte tag appended).
 * SKIP body:    u64 count of sequences skipped from the record's sequence on.
 * ERASED body:  random bytes (an erased message keeps its length and sequence).
 * </pre>
 * Big-endian throughout.
 */
final class RecordFormat {

    static final byte MAGIC = (byte) 0xB7;
    static final int HEADER = 28;
    static final int TRAILER = 4;
    static final int MIN_LENGTH = HEADER + TRAILER;
    /** Largest record accepted, so a damaged length field cannot send a reader far. */
    static final int MAX_LENGTH = 160 * 1024 * 1024;

    static final byte MESSAGE = 1;
    static final byte TOMBSTONE = 2;
    static final byte ERASED = 3;
    static final byte SKIP = 4;
    static final byte FLOOR = 5;

    static final byte HAS_TTL = 1;
    static final byte ENCRYPTED = 2;
    /** The body ends with {@link Crypto#TAG} bytes of padding (an encrypted record opened in a rewrite). */
    static final byte PADDED = 4;

    /** Bytes of a MESSAGE body before subject, headers and payload (plus 8 with a TTL). */
    static final int MESSAGE_FIXED = 6;

    private RecordFormat() {
    }

    /** Length of a MESSAGE record. */
    static int messageLength(int subject, int headers, int payload, boolean ttl, int aeadTag) {
        return HEADER + MESSAGE_FIXED + (ttl ? 8 : 0) + subject + headers + payload + aeadTag + TRAILER;
    }

    /** Writes a record's header (bytes 0..28) at {@code offset}. */
    static void putHeader(byte[] buffer, int offset, byte type, byte flags, int length, long sequence,
            long timestamp) {
        ByteBuffer view = ByteBuffer.wrap(buffer, offset, HEADER).order(ByteOrder.BIG_ENDIAN);
        view.put(MAGIC).put(type).put(flags).put((byte) 0).putInt(length).putLong(sequence).putLong(timestamp);
        CRC32C crc = new CRC32C();
        crc.update(buffer, offset, 24);
        view.putInt((int) crc.getValue());
    }

    /** Writes the trailer checksum of the record of {@code length} bytes at {@code offset}. */
    static void putTrailer(byte[] buffer, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buffer, offset, length - TRAILER);
        putInt(buffer, offset + length - TRAILER, (int) crc.getValue());
    }

    /** Whether the header at {@code offset} (at least {@link #HEADER} bytes available) is intact. */
    static boolean headerValid(byte[] buffer, int offset) {
        if (buffer[offset] != MAGIC) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer, offset, 24);
        if ((int) crc.getValue() != getInt(buffer, offset + 24)) {
            return false;
        }
        int length = getInt(buffer, offset + 4);
        byte type = buffer[offset + 1];
        return length >= MIN_LENGTH && length <= MAX_LENGTH && type >= MESSAGE && type <= FLOOR;
    }

    /** Whether the whole record at {@code offset} (its header already valid) has an intact trailer. */
    static boolean trailerValid(byte[] buffer, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buffer, offset, length - TRAILER);
        return (int) crc.getValue() == getInt(buffer, offset + length - TRAILER);
    }

    static byte type(byte[] buffer, int offset) {
        return buffer[offset + 1];
    }

    static byte flags(byte[] buffer, int offset) {
        return buffer[offset + 2];
    }

    static int length(byte[] buffer, int offset) {
        return getInt(buffer, offset + 4);
    }

    static long sequence(byte[] buffer, int offset) {
        return getLong(buffer, offset + 8);
    }

    static long timestamp(byte[] buffer, int offset) {
        return getLong(buffer, offset + 16);
    }

    static int getInt(byte[] b, int o) {
        return (b[o] & 0xFF) << 24 | (b[o + 1] & 0xFF) << 16 | (b[o + 2] & 0xFF) << 8 | b[o + 3] & 0xFF;
    }

    static void putInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    static long getLong(byte[] b, int o) {
        return (long) getInt(b, o) << 32 | getInt(b, o + 4) & 0xFFFFFFFFL;
    }

    static void putLong(byte[] b, int o, long v) {
        putInt(b, o, (int) (v >>> 32));
        putInt(b, o + 4, (int) v);
    }

    static int getShort(byte[] b, int o) {
        return (b[o] & 0xFF) << 8 | b[o + 1] & 0xFF;
    }

    static void putShort(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 8);
        b[o + 1] = (byte) v;
    }
}
