package nats.jetstream.store.support;

import java.util.Optional;

/** Where a consumer store keeps its state and metadata: nothing for memory, files for a file store. */
public interface ConsumerPersistence {

    /** The state stored when the consumer was last persisted, encoded by {@link ConsumerStateCodec}. */
    Optional<byte[]> load();

    /** Persists an encoded state; returns after it is durable (or at once for memory). */
    void save(byte[] encodedState);

    /** Whether saving does anything (a memory store persists nothing). */
    boolean persistent();

    /** Stores the owner's metadata. */
    void writeMetadata(byte[] metadata);

    /** The owner's metadata. */
    Optional<byte[]> metadata();

    /** Removes everything stored for the consumer. */
    void delete();
}
