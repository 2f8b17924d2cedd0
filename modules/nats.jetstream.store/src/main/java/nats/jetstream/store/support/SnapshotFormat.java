package nats.jetstream.store.support;

import java.nio.charset.StandardCharsets;

/**
 * The snapshot byte stream, shared by both storage types so either can restore the other's snapshot.
 *
 * <pre>
 * magic     "JNSNAP" 0x00 0x01                       (8 bytes)
 * frame*    type u8 | length u32 | payload | crc u32  (CRC32C of type, length and payload)
 *
 * HEADER    varints: first sequence, last sequence, last timestamp (zig-zag), messages
 * METADATA  the owner's metadata bytes
 * MESSAGE   varints: sequence, timestamp (zig-zag), ttl (zig-zag), subject length, headers length;
 *           then subject, headers, payload
 * CONSUMER  varints: name length, ack policy, max deliver (zig-zag), metadata length + 1 (0 = none),
 *           state length; then name, metadata, state ({@link ConsumerStateCodec})
 * END       varint: messages written (a snapshot without END is truncated)
 * </pre>
 */
final class SnapshotFormat {

    static final byte[] MAGIC = {'J', 'N', 'S', 'N', 'A', 'P', 0, 1};
    static final byte HEADER = 1;
    static final byte METADATA = 2;
    static final byte MESSAGE = 3;
    static final byte CONSUMER = 4;
    static final byte END = 5;
    /** Largest frame accepted when reading, so a damaged length cannot ask for gigabytes. */
    static final int MAX_FRAME = 64 * 1024 * 1024;

    private SnapshotFormat() {
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
