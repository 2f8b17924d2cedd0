package nats.jetstream.internal.engine;

/**
 * What a clustered stream's replica asks its RAFT group instead of deciding alone, so that every replica stores and
 * drops the same messages: whether a consumer wants a subject (interest retention decides it at apply time, from
 * the consumers committed in the group, not from the consumers one server happens to run) and the replication of a
 * consumer's state after an ack (a client waiting for its ack's reply gets it once the state is committed).
 */
public interface ReplicaHooks {

    /** Whether a committed consumer's filter takes {@code subject} (read at apply time, in log order). */
    boolean hasInterestIn(String subject);

    /**
     * An ack (or nak, progress, term) changed {@code consumer}'s state on the leader; {@code committed}, when not
     * null, runs once that state is committed in the group (it answers the client that waits for it).
     */
    void consumerChanged(String consumer, Runnable committed);
}
