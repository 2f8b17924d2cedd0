package nats.jetstream.store;

/**
 * Counters a store keeps for monitoring; they start at zero when the store is opened.
 *
 * @param damageEvents damaged or missing records detected (at recovery or on read), each also logged
 * @param lostMessages messages reported as lost since the store was opened
 * @param syncs {@code fsync} calls made for durability
 * @param bytesWritten bytes written to storage
 * @param cacheHits reads served by the store's read cache
 * @param cacheMisses reads that went to storage
 * @param recoveryNanos time the last open spent recovering
 */
public record StoreStats(long damageEvents, long lostMessages, long syncs, long bytesWritten, long cacheHits,
        long cacheMisses, long recoveryNanos) {

    /** All zero. */
    public static final StoreStats NONE = new StoreStats(0, 0, 0, 0, 0, 0, 0);
}
