package nats.jetstream.store.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The highest sequence ever handed out, kept apart from the blocks so that damage to the last block (or its
 * loss) cannot make sequences go back. Two 32-byte copies, written together: a damaged copy leaves the other.
 *
 * <pre>
 * u32 magic 'JNHW' | u32 generation | u64 sequence | u64 epoch | u32 reserved | u32 CRC32C of 0..28
 * </pre>
 * It is written after each flush, before the flush is reported durable; synced with the blocks in the
 * background and on close.
 */
final class HighWaterMark implements AutoCloseable {

    private static final int MAGIC = 0x4A4E4857;
    private static final int SLOT = 32;

    /** What the file held when opened. */
    record Value(long sequence, long epoch, int generation, boolean damaged) {
    }

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(2 * SLOT);
    private int generation;
    private long written = -1;
    private long writtenEpoch = -1;

    private HighWaterMark(FileChannel channel) {
        this.channel = channel;
    }

    static HighWaterMark open(Path file) throws IOException {
        return new HighWaterMark(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE));
    }

    /** Reads both slots: the valid one with the highest generation (damaged if a slot failed its check). */
    Value read() throws IOException {
        long size = channel.size();
        byte[] bytes = Block.readFully(channel, 0, (int) Math.min(size, 2 * SLOT));
        Value value = parse(bytes == null ? new byte[0] : bytes);
        generation = value.generation();
        written = value.sequence();
        writtenEpoch = value.epoch();
        return value;
    }

    /** The newest valid slot in the first bytes of a mark file. */
    static Value parse(byte[] bytes) {
        long best = 0;
        long bestEpoch = 0;
        int bestGeneration = -1;
        boolean found = false;
        boolean damaged = bytes.length != 0 && bytes.length != 2 * SLOT;
        for (int slot = 0; slot < 2; slot++) {
            int at = slot * SLOT;
            if (bytes.length < at + SLOT) {
                continue;
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes, at, 28);
            if (RecordFormat.getInt(bytes, at) != MAGIC || (int) crc.getValue() != RecordFormat.getInt(bytes, at + 28)) {
                damaged = true;
                continue;
            }
            int slotGeneration = RecordFormat.getInt(bytes, at + 4);
            if (!found || Integer.compareUnsigned(slotGeneration, bestGeneration) > 0) {
                found = true;
                bestGeneration = slotGeneration;
                best = RecordFormat.getLong(bytes, at + 8);
                bestEpoch = RecordFormat.getLong(bytes, at + 16);
            }
        }
        return new Value(best, bestEpoch, Math.max(0, bestGeneration), damaged);
    }

    /**
     * Records {@code sequence} in both slots with one write (synced later); skips the write if nothing
     * changed. Both slots hold the newest value, so damage to either leaves it in the other; a torn write
     * leaves at worst the previous value, which the synced blocks already cover.
     */
    void write(long sequence, long epoch) throws IOException {
        if (sequence == written && epoch == writtenEpoch) {
            return;
        }
        generation++;
        byte[] bytes = buffer.array();
        for (int slot = 0; slot < 2; slot++) {
            int at = slot * SLOT;
            RecordFormat.putInt(bytes, at, MAGIC);
            RecordFormat.putInt(bytes, at + 4, generation);
            RecordFormat.putLong(bytes, at + 8, sequence);
            RecordFormat.putLong(bytes, at + 16, epoch);
            RecordFormat.putInt(bytes, at + 24, 0);
            CRC32C crc = new CRC32C();
            crc.update(bytes, at, 28);
            RecordFormat.putInt(bytes, at + 28, (int) crc.getValue());
        }
        buffer.clear();
        while (buffer.hasRemaining()) {
            channel.write(buffer, buffer.position());
        }
        written = sequence;
        writtenEpoch = epoch;
    }

    /** Writes both slots (after a truncate lowered the mark) and syncs. */
    void reset(long sequence, long epoch) throws IOException {
        written = -1;
        write(sequence, epoch);
        sync();
    }

    void sync() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
