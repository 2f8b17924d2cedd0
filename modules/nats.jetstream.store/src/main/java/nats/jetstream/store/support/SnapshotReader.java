package nats.jetstream.store.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;
import nats.jetstream.store.AckPolicy;
import nats.jetstream.store.ConsumerConfig;
import nats.jetstream.store.StoreException;
import nats.jetstream.store.StoreException.Kind;

/** Reads a snapshot ({@link SnapshotFormat}), checking every frame, and hands its content to a visitor. */
final class SnapshotReader {

    /** What a snapshot holds, in order. */
    interface Visitor {
        void header(long firstSequence, long lastSequence, long lastTimestamp, long messages);

        void metadata(byte[] metadata);

        void message(long sequence, long timestamp, long ttl, String subject, byte[] headers, byte[] payload);

        void consumer(String name, ConsumerConfig config, byte[] metadata, byte[] state);

        void end(long messages);
    }

    private SnapshotReader() {
    }

    /**
     * Reads the whole snapshot.
     *
     * @throws StoreException {@link Kind#CORRUPT} if it is damaged or truncated
     */
    static void read(InputStream in, Visitor visitor) {
        try {
            byte[] magic = in.readNBytes(SnapshotFormat.MAGIC.length);
            if (!Arrays.equals(magic, SnapshotFormat.MAGIC)) {
                throw corrupt("not a JetStream store snapshot");
            }
            boolean sawHeader = false;
            long messages = 0;
            while (true) {
                byte[] head = in.readNBytes(5);
                if (head.length < 5) {
                    throw corrupt("snapshot is truncated (no end marker)");
                }
                byte type = head[0];
                int length = ByteBuffer.wrap(head, 1, 4).getInt();
                if (length < 0 || length > SnapshotFormat.MAX_FRAME) {
                    throw corrupt("snapshot frame length " + length + " is invalid");
                }
                byte[] payload = in.readNBytes(length);
                byte[] crcBytes = in.readNBytes(4);
                if (payload.length < length || crcBytes.length < 4) {
                    throw corrupt("snapshot is truncated");
                }
                CRC32C crc = new CRC32C();
                crc.update(head);
                crc.update(payload);
                if ((int) crc.getValue() != ByteBuffer.wrap(crcBytes).getInt()) {
                    throw corrupt("snapshot frame checksum mismatch after " + messages + " messages");
                }
                ByteBuffer buffer = ByteBuffer.wrap(payload);
                if (!sawHeader && type != SnapshotFormat.HEADER) {
                    throw corrupt("snapshot does not start with a header");
                }
                switch (type) {
                    case SnapshotFormat.HEADER -> {
                        sawHeader = true;
                        visitor.header(Varint.get(buffer), Varint.get(buffer), Varint.getSigned(buffer),
                                Varint.get(buffer));
                    }
                    case SnapshotFormat.METADATA -> visitor.metadata(payload);
                    case SnapshotFormat.MESSAGE -> {
                        message(buffer, visitor);
                        messages++;
                    }
                    case SnapshotFormat.CONSUMER -> consumer(buffer, visitor);
                    case SnapshotFormat.END -> {
                        long count = Varint.get(buffer);
                        if (count != messages) {
                            throw corrupt("snapshot ends after " + messages + " messages, expected " + count);
                        }
                        visitor.end(count);
                        return;
                    }
                    default -> throw corrupt("unknown snapshot frame type " + type);
                }
            }
        } catch (IOException e) {
            throw new StoreException(Kind.CORRUPT, "reading the snapshot failed: " + e.getMessage(), e);
        } catch (IllegalArgumentException | IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            throw new StoreException(Kind.CORRUPT, "snapshot is malformed: " + e.getMessage(), e);
        }
    }

    private static void message(ByteBuffer buffer, Visitor visitor) {
        long sequence = Varint.get(buffer);
        long timestamp = Varint.getSigned(buffer);
        long ttl = Varint.getSigned(buffer);
        int subjectLength = (int) Varint.get(buffer);
        int headersLength = (int) Varint.get(buffer);
        byte[] subject = new byte[subjectLength];
        byte[] headers = new byte[headersLength];
        buffer.get(subject).get(headers);
        byte[] payload = new byte[buffer.remaining()];
        buffer.get(payload);
        visitor.message(sequence, timestamp, ttl, new String(subject, StandardCharsets.UTF_8), headers, payload);
    }

    private static void consumer(ByteBuffer buffer, Visitor visitor) {
        int nameLength = (int) Varint.get(buffer);
        int policy = (int) Varint.get(buffer);
        long maxDeliver = Varint.getSigned(buffer);
        long metadataLength = Varint.get(buffer);
        int stateLength = (int) Varint.get(buffer);
        if (policy < 0 || policy >= AckPolicy.values().length) {
            throw new IllegalArgumentException("unknown ack policy " + policy);
        }
        byte[] name = new byte[nameLength];
        buffer.get(name);
        byte[] metadata = null;
        if (metadataLength > 0) {
            metadata = new byte[(int) (metadataLength - 1)];
            buffer.get(metadata);
        }
        byte[] state = new byte[stateLength];
        buffer.get(state);
        visitor.consumer(new String(name, StandardCharsets.UTF_8),
                new ConsumerConfig(AckPolicy.values()[policy], maxDeliver), metadata, state);
    }

    private static StoreException corrupt(String message) {
        return new StoreException(Kind.CORRUPT, message);
    }
}
