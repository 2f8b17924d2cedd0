package nats.jetstream.store;

/** Why a single message left the store, as told to a {@link StoreListener}. */
public enum RemovalReason {
    /** {@link StreamStore#remove(long)}. */
    REMOVED,
    /** {@link StreamStore#erase(long)}: removed and its bytes overwritten. */
    ERASED,
    /** Dropped to keep the message, byte or per-subject limit (discard old). */
    LIMITS,
    /** Older than the stream's {@code max_age}. */
    MAX_AGE,
    /** Its per-message TTL ran out. */
    TTL,
    /** Found damaged on read; it is reported as lost and never served. */
    DAMAGED
}
