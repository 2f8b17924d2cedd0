package nats.jetstream.store;

/**
 * Told of changes to a stream's messages (consumers waiting for new messages, usage accounting).
 *
 * <p>Calls are made on the thread that made the change: the writer for appends, removals and purges, the
 * store's timer thread for {@code max_age} and TTL expiry. They are made while the store's write lock is
 * held, in the order of the changes, so an implementation must be quick and must not block; it may read the
 * store (the write lock admits the same thread's reads) but must not write to it.
 */
public interface StoreListener {

    /** A message was stored under {@code sequence}; {@code size} is what it adds to the stream's bytes. */
    default void stored(long sequence, String subject, long size) {
    }

    /** One message left the store. */
    default void removed(long sequence, String subject, long size, RemovalReason reason) {
    }

    /**
     * Several messages left at once (purge, compact, truncate); the stream's state tells where it now starts
     * and ends.
     */
    default void purged(long messages, long bytes) {
    }
}
