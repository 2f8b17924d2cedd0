package nats.jetstream.store.support;

import java.nio.ByteBuffer;

/** Unsigned LEB128 varints (Go's {@code binary.Uvarint}) and zig-zag signed ones over {@link ByteBuffer}s. */
public final class Varint {

    private Varint() {
    }

    /** Writes {@code value} as an unsigned varint. */
    public static void put(ByteBuffer buffer, long value) {
        while ((value & ~0x7FL) != 0) {
            buffer.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        buffer.put((byte) value);
    }

    /** Writes {@code value} zig-zag encoded. */
    public static void putSigned(ByteBuffer buffer, long value) {
        put(buffer, (value << 1) ^ (value >> 63));
    }

    /** Reads an unsigned varint; throws {@link IllegalArgumentException} if malformed. */
    public static long get(ByteBuffer buffer) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!buffer.hasRemaining()) {
                throw new IllegalArgumentException("truncated varint");
            }
            byte b = buffer.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }

    /** Reads a zig-zag encoded signed varint. */
    public static long getSigned(ByteBuffer buffer) {
        long raw = get(buffer);
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** Most bytes a varint takes. */
    public static final int MAX_LENGTH = 10;
}
