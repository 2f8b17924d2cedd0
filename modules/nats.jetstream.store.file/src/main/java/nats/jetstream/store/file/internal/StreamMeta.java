package nats.jetstream.store.file.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The stream's own metadata ({@code meta.dat}, an {@link AtomicFile}): format version, name, the floor at the
 * last purge or compact, and every truncate (what the blocks alone could not tell apart after one).
 *
 * <pre>
 * u32 format 2 | u64 created | u64 epoch | u64 floor | u16 name length | name |
 * u32 truncates | (u64 epoch, u64 last sequence after it) per truncate
 * </pre>
 *
 * @param created when the stream was created (nanoseconds)
 * @param epoch truncation epoch (the number of truncates)
 * @param floor first-sequence floor at the last purge or compact
 * @param name the stream's name
 * @param truncates each truncate: {epoch it started, last sequence it left}
 */
record StreamMeta(long created, long epoch, long floor, String name, List<long[]> truncates) {

    static final int FORMAT = 2;

    StreamMeta {
        truncates = List.copyOf(truncates);
    }

    byte[] encode() {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(4 + 3 * 8 + 2 + nameBytes.length + 4 + truncates.size() * 16);
        buffer.putInt(FORMAT).putLong(created).putLong(epoch).putLong(floor).putShort((short) nameBytes.length)
                .put(nameBytes).putInt(truncates.size());
        for (long[] truncate : truncates) {
            buffer.putLong(truncate[0]).putLong(truncate[1]);
        }
        return buffer.array();
    }

    /** Decodes; {@code null} if the payload is not a meta record this version understands. */
    static StreamMeta decode(byte[] bytes) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            if (buffer.getInt() != FORMAT) {
                return null;
            }
            long created = buffer.getLong();
            long epoch = buffer.getLong();
            long floor = buffer.getLong();
            byte[] name = new byte[buffer.getShort() & 0xFFFF];
            buffer.get(name);
            int count = buffer.getInt();
            if (count < 0 || count > buffer.remaining() / 16) {
                return null;
            }
            List<long[]> truncates = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                truncates.add(new long[] {buffer.getLong(), buffer.getLong()});
            }
            return buffer.hasRemaining() ? null
                    : new StreamMeta(created, epoch, floor, new String(name, StandardCharsets.UTF_8), truncates);
        } catch (java.nio.BufferUnderflowException e) {
            return null;
        }
    }

    StreamMeta withFloor(long value) {
        return new StreamMeta(created, epoch, Math.max(floor, value), name, truncates);
    }

    StreamMeta withTruncate(long newEpoch, long sequence) {
        List<long[]> all = new ArrayList<>(truncates);
        all.add(new long[] {newEpoch, sequence});
        return new StreamMeta(created, newEpoch, Math.min(floor, sequence + 1), name, all);
    }
}
