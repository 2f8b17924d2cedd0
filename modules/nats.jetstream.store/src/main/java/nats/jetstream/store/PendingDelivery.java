package nats.jetstream.store;

/**
 * A delivered message waiting for its ack (Go's {@code Pending}).
 *
 * @param consumerSequence the consumer sequence of its first delivery
 * @param timestamp when it was last delivered, in nanoseconds since the epoch
 */
public record PendingDelivery(long consumerSequence, long timestamp) {
}
