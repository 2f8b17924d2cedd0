package nats.jetstream.store.file.internal;

import java.util.zip.CRC32C;

/**
 * The first 64 bytes of a message block.
 *
 * <pre>
 *  0  u32  magic 'JNBK'
 *  4  u8   version 1
 *  5  u8   flags: 1 encrypted records, 2 compressed frames
 *  6  u8   cipher: 0 none, 1 ChaCha20-Poly1305, 2 AES-GCM
 *  7  u8   reserved
 *  8  u64  block index (also in the file name)
 * 16  u64  epoch: raised by each truncate; older blocks' records above the truncation point are void
 * 24  u64  the stream's first-sequence floor when the block was created (everything below is deleted)
 * 32  u64  the stream's last sequence when the block was created (so deleting older blocks never hides
 *          how far sequences went)
 * 40  u8[16] salt of the block key
 * 56  u32  key check: low 32 bits of the block key's check value
 * 60  u32  CRC32C of bytes 0..60
 * </pre>
 *
 * @param flags encrypted / compressed bits
 * @param cipher cipher code
 * @param index block index
 * @param epoch truncation epoch
 * @param floor first-sequence floor at creation
 * @param lastSequence last sequence at creation
 * @param salt key salt
 * @param keyCheck key check value
 */
record BlockHeader(int flags, int cipher, long index, long epoch, long floor, long lastSequence, byte[] salt,
        int keyCheck) {

    static final int SIZE = 64;
    static final int MAGIC = 0x4A4E424B;
    static final int ENCRYPTED = 1;
    static final int COMPRESSED = 2;

    boolean encrypted() {
        return (flags & ENCRYPTED) != 0;
    }

    boolean compressed() {
        return (flags & COMPRESSED) != 0;
    }

    BlockHeader withFlags(int newFlags, byte[] newSalt, int newKeyCheck) {
        return new BlockHeader(newFlags, cipher, index, epoch, floor, lastSequence, newSalt, newKeyCheck);
    }

    void write(byte[] buffer, int offset) {
        RecordFormat.putInt(buffer, offset, MAGIC);
        buffer[offset + 4] = 1;
        buffer[offset + 5] = (byte) flags;
        buffer[offset + 6] = (byte) cipher;
        buffer[offset + 7] = 0;
        RecordFormat.putLong(buffer, offset + 8, index);
        RecordFormat.putLong(buffer, offset + 16, epoch);
        RecordFormat.putLong(buffer, offset + 24, floor);
        RecordFormat.putLong(buffer, offset + 32, lastSequence);
        System.arraycopy(salt, 0, buffer, offset + 40, 16);
        RecordFormat.putInt(buffer, offset + 56, keyCheck);
        CRC32C crc = new CRC32C();
        crc.update(buffer, offset, 60);
        RecordFormat.putInt(buffer, offset + 60, (int) crc.getValue());
    }

    /** The header at {@code offset}, or {@code null} if it is damaged. */
    static BlockHeader read(byte[] buffer, int offset) {
        if (RecordFormat.getInt(buffer, offset) != MAGIC || buffer[offset + 4] != 1) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer, offset, 60);
        if ((int) crc.getValue() != RecordFormat.getInt(buffer, offset + 60)) {
            return null;
        }
        byte[] salt = new byte[16];
        System.arraycopy(buffer, offset + 40, salt, 0, 16);
        return new BlockHeader(buffer[offset + 5], buffer[offset + 6], RecordFormat.getLong(buffer, offset + 8),
                RecordFormat.getLong(buffer, offset + 16), RecordFormat.getLong(buffer, offset + 24),
                RecordFormat.getLong(buffer, offset + 32), salt, RecordFormat.getInt(buffer, offset + 56));
    }
}
