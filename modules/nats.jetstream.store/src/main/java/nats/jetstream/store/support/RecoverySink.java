package nats.jetstream.store.support;

/**
 * What a {@link MessageStorage} tells the engine while recovering: messages in ascending sequence order,
 * then what was deleted, the sequence bounds, and what was found lost.
 */
public interface RecoverySink {

    /** A stored message, in ascending sequence order. */
    void message(long sequence, long timestamp, String subject, int headersLength, int payloadLength, long ttl,
            long location, Object reference);

    /** A message deleted after it was stored (tombstone); ignored if absent. */
    void deleted(long sequence);

    /** Every sequence below {@code floor} is deleted. */
    void floor(long floor);

    /** The highest sequence ever used and its timestamp (may be above the last message found). */
    void last(long sequence, long timestamp);

    /** Messages that were stored and can no longer be read. */
    void lost(long firstSequence, long lastSequence, long bytes);
}
