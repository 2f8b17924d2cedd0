package nats.jetstream.store.file.internal;

import java.io.IOException;
import java.util.zip.CRC32C;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreException.Kind;
import org.xerial.snappy.Snappy;

/**
 * Compressed blocks: a sealed block's records, rewritten as frames of about 64 KiB of whole records, each
 * compressed with Snappy (the format Go's S2 reads) and, in an encrypted stream, sealed with the new block's
 * key (nonce = the frame's file offset).
 *
 * <pre>
 *  0  u8   magic 0xC5
 *  1  u8   codec 1 (Snappy)
 *  2  u8   flags: 1 sealed
 *  3  u8   reserved
 *  4  u32  raw length
 *  8  u64  raw start: logical offset of the frame's first record
 * 16  u32  stored length
 * 20  u32  CRC32C of the stored bytes
 * 24  u32  CRC32C of bytes 0..24
 * 28  stored bytes
 * </pre>
 */
final class Compression {

    static final byte MAGIC = (byte) 0xC5;
    static final int HEADER = 28;
    static final int FRAME_RAW = 64 * 1024;

    private static volatile String unavailable;

    private Compression() {
    }

    /** Fails with a clear error when snappy-java's native library cannot be loaded here. */
    static void requireAvailable() {
        String reason = unavailable;
        if (reason == null) {
            try {
                Snappy.maxCompressedLength(1);
                unavailable = "";
                return;
            } catch (Throwable t) {
                reason = t.toString();
                unavailable = reason;
            }
        }
        if (!reason.isEmpty()) {
            throw new StoreException(Kind.BAD_REQUEST, "stream compression s2 needs snappy-java's native library,"
                    + " which cannot be loaded (" + reason + "); the runtime must allow native access to"
                    + " org.xerial.snappy (--enable-native-access) and a writable temporary directory");
        }
    }

    /** Compresses (and seals) one frame of raw records; returns the frame with its header. */
    static byte[] frame(byte[] raw, int offset, int length, long rawStart, Crypto crypto, Crypto.Key key,
            long fileOffset) throws IOException {
        int sealedExtra = key == null ? 0 : Crypto.TAG;
        byte[] frame = new byte[HEADER + Snappy.maxCompressedLength(length) + sealedExtra];
        int stored = Snappy.compress(raw, offset, length, frame, HEADER);
        if (key != null) {
            crypto.seal(key, fileOffset, frame, 0, 0, HEADER, stored);
            stored += Crypto.TAG;
        }
        frame[0] = MAGIC;
        frame[1] = 1;
        frame[2] = (byte) (key == null ? 0 : 1);
        frame[3] = 0;
        RecordFormat.putInt(frame, 4, length);
        RecordFormat.putLong(frame, 8, rawStart);
        RecordFormat.putInt(frame, 16, stored);
        CRC32C crc = new CRC32C();
        crc.update(frame, HEADER, stored);
        RecordFormat.putInt(frame, 20, (int) crc.getValue());
        crc.reset();
        crc.update(frame, 0, 24);
        RecordFormat.putInt(frame, 24, (int) crc.getValue());
        return java.util.Arrays.copyOf(frame, HEADER + stored);
    }

    /** Whether a frame header at {@code offset} is intact. */
    static boolean headerValid(byte[] bytes, int offset) {
        if (bytes[offset] != MAGIC || bytes[offset + 1] != 1) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, 24);
        return (int) crc.getValue() == RecordFormat.getInt(bytes, offset + 24)
                && RecordFormat.getInt(bytes, offset + 4) > 0
                && RecordFormat.getInt(bytes, offset + 4) <= RecordFormat.MAX_LENGTH + FRAME_RAW
                && RecordFormat.getInt(bytes, offset + 16) > 0;
    }

    /**
     * The raw records of the frame whose header is at {@code offset} in {@code bytes} (the whole frame
     * there); {@code null} if it is damaged.
     */
    static byte[] decode(byte[] bytes, int offset, Crypto crypto, Crypto.Key key, long fileOffset) {
        int rawLength = RecordFormat.getInt(bytes, offset + 4);
        int stored = RecordFormat.getInt(bytes, offset + 16);
        if (offset + (long) HEADER + stored > bytes.length) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset + HEADER, stored);
        if ((int) crc.getValue() != RecordFormat.getInt(bytes, offset + 20)) {
            return null;
        }
        byte[] compressed = bytes;
        int compressedOffset = offset + HEADER;
        int compressedLength = stored;
        if ((bytes[offset + 2] & 1) != 0) {
            if (key == null) {
                return null;
            }
            compressed = crypto.open(key, fileOffset, bytes, offset, 0, offset + HEADER, stored);
            if (compressed == null) {
                return null;
            }
            compressedOffset = 0;
            compressedLength = compressed.length;
        }
        try {
            if (Snappy.uncompressedLength(compressed, compressedOffset, compressedLength) != rawLength) {
                return null;
            }
            byte[] raw = new byte[rawLength];
            Snappy.uncompress(compressed, compressedOffset, compressedLength, raw, 0);
            return raw;
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads and decodes frame {@code index} of a compressed block; {@code null} if damaged. */
    static byte[] readFrame(Block.Storage storage, int index) throws IOException {
        Block.Frames frames = storage.frames();
        byte[] bytes = Block.readFully(storage.channel(), frames.fileOffset()[index],
                HEADER + frames.storedLength()[index]);
        if (bytes == null || !headerValid(bytes, 0)) {
            return null;
        }
        return decode(bytes, 0, storage.crypto(), storage.key(), frames.fileOffset()[index]);
    }
}
