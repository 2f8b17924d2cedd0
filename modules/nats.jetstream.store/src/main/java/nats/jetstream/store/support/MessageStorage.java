package nats.jetstream.store.support;

import java.util.List;
import java.util.Optional;
import nats.jetstream.store.DurabilityListener;
import nats.jetstream.store.StoredMessage;

/**
 * Where a {@link StreamEngine} keeps message bytes: the part of a store that differs between memory and
 * file. The engine owns the logical state (sequences, subjects, limits, TTLs, listeners) and calls these
 * methods with its write lock held for changes and its read lock held for reads.
 */
public interface MessageStorage {

    /** Where {@link #write} put a message: a location (file store) or an object (memory store). */
    final class Slot {
        /** The backend's location of the message. */
        public long location;
        /** The backend's object for the message. */
        public Object reference;
    }

    /** {@code "memory"} or {@code "file"}. */
    String storageType();

    /** Whether slots hold objects rather than locations. */
    boolean usesReferences();

    /** The bytes a message adds to the stream's state, as the Go server counts them for this storage type. */
    long messageSize(int subjectLength, int headersLength, int payloadLength);

    /** Largest subject + headers + payload this storage can hold in one record. */
    long maxRecordSize();

    /**
     * Fills the engine's state with what is stored; called once, before anything else. {@code index} answers
     * questions about the engine's index, during recovery (as it is filled) and afterwards.
     */
    void recover(RecoverySink sink, IndexView index);

    /** The stream's configuration, at open and after each change (compression of blocks sealed later). */
    void configure(nats.jetstream.store.StreamConfig config);

    /** Persists a message; fills {@code slot}. */
    void write(long sequence, long timestamp, String subject, byte[] headers, byte[] payload, long ttl, Slot slot);

    /**
     * Reads a message back, verifying it; {@code null} if its stored bytes are damaged (the storage logs
     * which file and where, the engine records the loss).
     */
    StoredMessage read(long sequence, long timestamp, long location, Object reference, String subject);

    /**
     * Called after an append once the engine's lock is released (a memory store reports it durable here).
     */
    void appended(long sequence);

    /** The TTL stored with a message (to rebuild TTL deadlines when TTLs are turned on). */
    long ttl(long sequence, long location, Object reference);

    /**
     * One message was removed.
     *
     * @param erase overwrite its stored bytes
     * @param newFirst the stream's new first sequence when this removal moved it, else 0
     */
    void removed(long sequence, long location, Object reference, boolean erase, long newFirst);

    /** Every message below {@code firstSequence} is gone (purge, compact, limits). */
    void removedBelow(long firstSequence);

    /** Every message above {@code lastSequence} is gone and it is the last sequence now (truncate). */
    void truncated(long lastSequence, long lastTimestamp);

    /** Sequences {@code first .. first + count - 1} were used up without messages. */
    void skipped(long first, long count, long timestamp);

    /** Sets the listener told how far appends are durable. */
    void setDurabilityListener(DurabilityListener listener);

    /** The highest sequence known durable. */
    long durableSequence();

    /** Blocks until everything written so far is durable. */
    void sync();

    /** {@link nats.jetstream.store.StreamStore#deferFlushToCaller()}. */
    default void deferFlushToCaller() {
    }

    /** {@link nats.jetstream.store.StreamStore#flushSoon()}. */
    default void flushSoon() {
    }

    /** {@link nats.jetstream.store.StreamStore#flushOnCaller()}: no engine lock held. */
    default boolean flushOnCaller() {
        return false;
    }

    /** Stores the owner's metadata. */
    void writeMetadata(byte[] metadata);

    /** The owner's metadata. */
    Optional<byte[]> metadata();

    /** Persistence for consumer {@code name}'s state. */
    ConsumerPersistence consumer(String name);

    /** Names of consumers with stored state. */
    List<String> consumerNames();

    /**
     * Adds the storage's own counters to {@code stats}: syncs, bytes written, cache hits, cache misses, and
     * damage it found outside messages (consumer state, metadata).
     */
    void addStats(long[] stats);

    /** Flushes and releases resources. */
    void close();

    /** Releases resources and removes everything stored. */
    void delete();
}
