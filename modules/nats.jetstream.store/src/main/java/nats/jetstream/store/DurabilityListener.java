package nats.jetstream.store;

/**
 * Told how far appended messages are durable, so that the stream can send its publish acks.
 *
 * <p>With the default durability ({@link Durability#ALWAYS}) a file store calls it after the {@code fsync}
 * that covers the sequence; with a sync interval, right after the data was handed to the operating system.
 * One call covers every sequence up to and including {@code sequence} (group commit): there is no call per
 * message. Calls come from the store's own flushing thread, in increasing order, never while a store lock is
 * held; an implementation must not block.
 */
@FunctionalInterface
public interface DurabilityListener {

    /** Every message appended with a sequence up to {@code sequence} is durable. */
    void durableThrough(long sequence);
}
