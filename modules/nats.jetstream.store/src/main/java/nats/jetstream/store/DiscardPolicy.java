package nats.jetstream.store;

/**
 * What a store does when a new message would break the stream's message or byte limit (Go's
 * {@code discard}).
 */
public enum DiscardPolicy {
    /** Remove the oldest messages until the new one fits (the default). */
    OLD,
    /** Refuse the new message with one of Go's limit errors. */
    NEW
}
