package nats.jetstream.store;

/** How a file store compresses sealed message blocks (the stream's {@code compression}). */
public enum Compression {
    /** Blocks are stored as written. */
    NONE,
    /** Sealed blocks are compressed (Go's {@code s2}; stored here in the Snappy format, which S2 reads). */
    S2
}
