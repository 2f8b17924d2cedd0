package nats.raft.internal;

import nats.raft.RaftException;

/** What a {@link RaftCore} tells the world: RPCs to send and outcomes of requests. Called on the core's thread. */
interface Outbox {

    void send(String peer, Rpc rpc);

    /** The entry at {@code index}, of {@code term}, was applied (every type, in order). */
    void applied(long index, long term);

    /** A snapshot replaced the log through {@code through}: entries up to there were not seen one by one here. */
    void skipped(long through);

    void readReady(long id, long index);

    void readFailed(long id, RaftException reason);
}
