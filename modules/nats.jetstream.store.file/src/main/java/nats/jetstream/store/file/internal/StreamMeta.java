package nats.jetstream.store.file.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The stream's own metadata ({@code meta.dat}, an {@link AtomicFile}): format version, name, and what the
 * blocks alone cannot say after a purge or truncate.
 *
 * <pre>
 * u32 format 1 | u64 created | u64 epoch | u64 truncated-to sequence | u64 its timestamp | u64 floor |
 * u16 name length | name
 * </pre>
 *
 * @param created when the stream was created (nanoseconds)
 * @param epoch truncation epoch (0 until the first truncate)
 * @param truncatedTo last sequence after the latest truncate
 * @param truncatedTimestamp its timestamp
 * @param floor first-sequence floor at the last purge or compact
 * @param name the stream's name
 */
record StreamMeta(long created, long epoch, long truncatedTo, long truncatedTimestamp, long floor, String name) {

    static final int FORMAT = 1;

    byte[] encode() {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(4 + 5 * 8 + 2 + nameBytes.length);
        buffer.putInt(FORMAT).putLong(created).putLong(epoch).putLong(truncatedTo).putLong(truncatedTimestamp)
                .putLong(floor).putShort((short) nameBytes.length).put(nameBytes);
        return buffer.array();
    }

    /** Decodes; {@code null} if the payload is not a meta record this version understands. */
    static StreamMeta decode(byte[] bytes) {
        if (bytes.length < 4 + 5 * 8 + 2) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.getInt() != FORMAT) {
            return null;
        }
        long created = buffer.getLong();
        long epoch = buffer.getLong();
        long truncatedTo = buffer.getLong();
        long truncatedTimestamp = buffer.getLong();
        long floor = buffer.getLong();
        int nameLength = buffer.getShort() & 0xFFFF;
        if (buffer.remaining() != nameLength) {
            return null;
        }
        byte[] name = new byte[nameLength];
        buffer.get(name);
        return new StreamMeta(created, epoch, truncatedTo, truncatedTimestamp, floor,
                new String(name, StandardCharsets.UTF_8));
    }

    StreamMeta withFloor(long value) {
        return new StreamMeta(created, epoch, truncatedTo, truncatedTimestamp, Math.max(floor, value), name);
    }

    StreamMeta withTruncate(long newEpoch, long sequence, long timestamp) {
        return new StreamMeta(created, newEpoch, sequence, timestamp, floor, name);
    }
}
