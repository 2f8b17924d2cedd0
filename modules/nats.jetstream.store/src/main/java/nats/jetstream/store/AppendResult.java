package nats.jetstream.store;

/**
 * Where {@link StreamStore#append} put a message.
 *
 * @param sequence the stream sequence assigned to it
 * @param timestamp the time it was stored, in nanoseconds since the epoch
 */
public record AppendResult(long sequence, long timestamp) {
}
