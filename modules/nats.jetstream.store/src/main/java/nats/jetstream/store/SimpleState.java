package nats.jetstream.store;

/**
 * The messages matching a filter: how many, and the first and last sequence among them (zero when there are
 * none). Go's {@code SimpleState}.
 *
 * @param messages number of matching messages
 * @param first sequence of the first matching message, or 0
 * @param last sequence of the last matching message, or 0
 */
public record SimpleState(long messages, long first, long last) {

    /** No matching message. */
    public static final SimpleState EMPTY = new SimpleState(0, 0, 0);
}
