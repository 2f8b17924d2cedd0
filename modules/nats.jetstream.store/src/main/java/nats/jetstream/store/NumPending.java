package nats.jetstream.store;

/**
 * The result of {@link StreamStore#numPending}.
 *
 * @param total matching messages at or after the start sequence
 * @param validThrough the stream's last sequence when they were counted
 */
public record NumPending(long total, long validThrough) {
}
