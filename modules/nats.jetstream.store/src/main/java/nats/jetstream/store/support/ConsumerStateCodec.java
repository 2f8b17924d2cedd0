package nats.jetstream.store.support;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import nats.jetstream.store.ConsumerState;
import nats.jetstream.store.PendingDelivery;
import nats.jetstream.store.SequencePair;

/**
 * The binary form of a {@link ConsumerState}: magic, version, ack floor, delivered, pending and
 * redelivered entries as varints relative to the ack floor (like Go's {@code encodeConsumerState}, but
 * with full timestamps), and a CRC32C over all of it so damage is detected.
 */
public final class ConsumerStateCodec {

    private static final byte MAGIC = 0x4A; // 'J'
    private static final byte VERSION = 1;

    private ConsumerStateCodec() {
    }

    /** Encodes {@code state}. */
    public static byte[] encode(ConsumerState state) {
        int entries = state.pending().size() * 3 + state.redelivered().size() * 2 + 8;
        ByteBuffer buffer = ByteBuffer.allocate(2 + entries * Varint.MAX_LENGTH + 4);
        buffer.put(MAGIC).put(VERSION);
        SequencePair floor = state.ackFloor();
        Varint.put(buffer, floor.consumer());
        Varint.put(buffer, floor.stream());
        Varint.put(buffer, state.delivered().consumer());
        Varint.put(buffer, state.delivered().stream());
        Varint.put(buffer, state.pending().size());
        for (Map.Entry<Long, PendingDelivery> entry : state.pending().entrySet()) {
            Varint.putSigned(buffer, entry.getKey() - floor.stream());
            Varint.putSigned(buffer, entry.getValue().consumerSequence() - floor.consumer());
            Varint.putSigned(buffer, entry.getValue().timestamp());
        }
        Varint.put(buffer, state.redelivered().size());
        for (Map.Entry<Long, Long> entry : state.redelivered().entrySet()) {
            Varint.putSigned(buffer, entry.getKey() - floor.stream());
            Varint.put(buffer, entry.getValue());
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        byte[] result = new byte[buffer.position()];
        System.arraycopy(buffer.array(), 0, result, 0, result.length);
        return result;
    }

    /**
     * Decodes what {@link #encode} wrote.
     *
     * @throws IllegalArgumentException if the bytes are damaged (checksum, structure)
     */
    public static ConsumerState decode(byte[] bytes) {
        if (bytes.length < 6 || bytes[0] != MAGIC || bytes[1] != VERSION) {
            throw new IllegalArgumentException("not a consumer state");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        if ((int) crc.getValue() != stored) {
            throw new IllegalArgumentException("consumer state checksum mismatch");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 2, bytes.length - 6);
        SequencePair floor = new SequencePair(Varint.get(buffer), Varint.get(buffer));
        SequencePair delivered = new SequencePair(Varint.get(buffer), Varint.get(buffer));
        long pendingCount = Varint.get(buffer);
        TreeMap<Long, PendingDelivery> pending = new TreeMap<>();
        for (long i = 0; i < pendingCount; i++) {
            long sequence = floor.stream() + Varint.getSigned(buffer);
            long consumer = floor.consumer() + Varint.getSigned(buffer);
            pending.put(sequence, new PendingDelivery(consumer, Varint.getSigned(buffer)));
        }
        long redeliveredCount = Varint.get(buffer);
        TreeMap<Long, Long> redelivered = new TreeMap<>();
        for (long i = 0; i < redeliveredCount; i++) {
            redelivered.put(floor.stream() + Varint.getSigned(buffer), Varint.get(buffer));
        }
        if (buffer.hasRemaining()) {
            throw new IllegalArgumentException("trailing bytes in consumer state");
        }
        return new ConsumerState(delivered, floor, pending, redelivered);
    }
}
