package nats.jetstream.store;

import java.util.Optional;

/**
 * A consumer's persistent state, kept with its stream (Go's {@code ConsumerStore}). Obtained from
 * {@link StreamStore#consumer(String, ConsumerConfig)}.
 *
 * <p>Updates change the state in memory at once and are persisted in the background, coalesced;
 * {@link #flush()} waits until everything so far is persisted. A file store keeps the last two persisted
 * states, so a damaged file falls back to the older one (which at worst redelivers) instead of losing the
 * consumer. Thread-safe: one consumer's updates usually come from one thread, reads from any.
 */
public interface ConsumerStore extends AutoCloseable {

    /** The consumer's durable name. */
    String name();

    /** The configuration its state follows. */
    ConsumerConfig config();

    /** Changes the configuration (ack policy, max deliver). */
    void updateConfig(ConsumerConfig config);

    /** Starts delivery after {@code streamSequence}: delivered and ack floor stream sequences become it. */
    void setStarting(long streamSequence);

    /** Moves the starting point forward to {@code streamSequence} if it is beyond what was delivered. */
    void updateStarting(long streamSequence);

    /** Forgets all state and starts after {@code streamSequence}. */
    void reset(long streamSequence);

    /** Whether anything was ever delivered or a start was set. */
    boolean hasState();

    /**
     * Records a delivery.
     *
     * @param consumerSequence the delivery's consumer sequence
     * @param streamSequence the message's stream sequence
     * @param deliveryCount how many times it has now been delivered (1 for the first time)
     * @param timestamp when, in nanoseconds since the epoch
     * @throws StoreException {@link StoreException.Kind#NO_ACK_POLICY} for a redelivery with ack policy none
     */
    void updateDelivered(long consumerSequence, long streamSequence, long deliveryCount, long timestamp);

    /**
     * Records an ack.
     *
     * @throws StoreException {@link StoreException.Kind#NO_ACK_POLICY} with ack policy none,
     *     {@link StoreException.Kind#NOT_FOUND} when the message is not pending
     */
    void updateAcks(long consumerSequence, long streamSequence);

    /** Forgets redelivery counts of stream sequences below {@code streamSequence}. */
    void removeRedeliveredBelow(long streamSequence);

    /**
     * Replaces the state, refusing one that is older than the stored one.
     *
     * @throws StoreException {@link StoreException.Kind#OLD_UPDATE} for an older state,
     *     {@link StoreException.Kind#BAD_REQUEST} for an inconsistent one
     */
    void update(ConsumerState state);

    /** Replaces the state even if it is older (after a stream was rewound). */
    void forceUpdate(ConsumerState state);

    /** The current state. */
    ConsumerState state();

    /** Stores the owner's metadata (JetStream's consumer configuration), written safely and atomically. */
    void writeMetadata(byte[] metadata);

    /** The metadata last written, if any. */
    Optional<byte[]> metadata();

    /** Blocks until every update made so far is persisted. */
    void flush();

    /** Removes the consumer's state for good. */
    void delete();

    /** Persists pending updates and releases the store; the state stays for the next open. */
    @Override
    void close();
}
