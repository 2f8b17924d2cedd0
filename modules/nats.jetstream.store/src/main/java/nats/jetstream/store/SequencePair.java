package nats.jetstream.store;

/**
 * A consumer sequence and the stream sequence of the same message (Go's {@code SequencePair}, JSON
 * {@code consumer_seq}, {@code stream_seq}).
 *
 * @param consumer the consumer's delivery sequence
 * @param stream the stream sequence
 */
public record SequencePair(long consumer, long stream) {

    /** Both zero. */
    public static final SequencePair ZERO = new SequencePair(0, 0);
}
