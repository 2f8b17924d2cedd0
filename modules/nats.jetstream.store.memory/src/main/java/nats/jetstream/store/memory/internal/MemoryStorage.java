package nats.jetstream.store.memory.internal;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import nats.jetstream.store.DurabilityListener;
import nats.jetstream.store.StoredMessage;
import nats.jetstream.store.StreamConfig;
import nats.jetstream.store.support.ConsumerPersistence;
import nats.jetstream.store.support.IndexView;
import nats.jetstream.store.support.MessageStorage;
import nats.jetstream.store.support.RecoverySink;

/**
 * Message bytes in the heap: each slot of the engine's index holds a {@link Message}. Appends are durable
 * as soon as they are stored (there is nothing more durable to wait for).
 */
public final class MemoryStorage implements MessageStorage {

    /** A stored message: copies of the caller's arrays, so later changes to them do not reach the store. */
    private record Message(byte[] headers, byte[] payload, long ttl) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] NONE = new byte[0];

    private volatile DurabilityListener durability;
    private volatile long durable;
    private volatile byte[] metadata;

    @Override
    public String storageType() {
        return "memory";
    }

    @Override
    public boolean usesReferences() {
        return true;
    }

    /** Go's memory store counts subject + headers + payload + 16 (sequence and timestamp). */
    @Override
    public long messageSize(int subjectLength, int headersLength, int payloadLength) {
        return (long) subjectLength + headersLength + payloadLength + 16;
    }

    @Override
    public long maxRecordSize() {
        return Integer.MAX_VALUE - 64;
    }

    @Override
    public void recover(RecoverySink sink, IndexView index) {
        // Nothing survives a restart.
    }

    @Override
    public void configure(StreamConfig config) {
    }

    @Override
    public void write(long sequence, long timestamp, String subject, byte[] headers, byte[] payload, long ttl,
            Slot slot) {
        slot.reference = new Message(headers.length == 0 ? NONE : headers.clone(), payload.clone(), ttl);
    }

    @Override
    public void appended(long sequence) {
        durable = sequence;
        DurabilityListener listener = durability;
        if (listener != null) {
            listener.durableThrough(sequence);
        }
    }

    @Override
    public StoredMessage read(long sequence, long timestamp, long location, Object reference, String subject) {
        Message message = (Message) reference;
        return new StoredMessage(subject, message.headers(), message.payload(), sequence, timestamp);
    }

    @Override
    public long ttl(long sequence, long location, Object reference) {
        return ((Message) reference).ttl();
    }

    @Override
    public void removed(long sequence, long location, Object reference, boolean erase, long newFirst) {
        if (erase) {
            Message message = (Message) reference;
            RANDOM.nextBytes(message.headers());
            RANDOM.nextBytes(message.payload());
        }
    }

    @Override
    public void removedBelow(long firstSequence) {
    }

    @Override
    public void truncated(long lastSequence, long lastTimestamp) {
    }

    @Override
    public void skipped(long first, long count, long timestamp) {
    }

    @Override
    public void setDurabilityListener(DurabilityListener listener) {
        durability = listener;
    }

    @Override
    public long durableSequence() {
        return durable;
    }

    @Override
    public void sync() {
    }

    @Override
    public void writeMetadata(byte[] value) {
        metadata = value.clone();
    }

    @Override
    public Optional<byte[]> metadata() {
        byte[] value = metadata;
        return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    @Override
    public ConsumerPersistence consumer(String name) {
        return new MemoryConsumer();
    }

    @Override
    public List<String> consumerNames() {
        return List.of();
    }

    @Override
    public void addStats(long[] stats) {
    }

    @Override
    public void close() {
    }

    @Override
    public void delete() {
        metadata = null;
    }

    /** A memory consumer's state lives only in its consumer store. */
    private static final class MemoryConsumer implements ConsumerPersistence {
        private volatile byte[] metadata;

        @Override
        public Optional<byte[]> load() {
            return Optional.empty();
        }

        @Override
        public void save(byte[] encodedState) {
        }

        @Override
        public boolean persistent() {
            return false;
        }

        @Override
        public void writeMetadata(byte[] value) {
            metadata = value.clone();
        }

        @Override
        public Optional<byte[]> metadata() {
            byte[] value = metadata;
            return value == null ? Optional.empty() : Optional.of(value.clone());
        }

        @Override
        public void delete() {
            metadata = null;
        }
    }
}
