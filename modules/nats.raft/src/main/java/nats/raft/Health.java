package nats.raft;

/** How far a node can be trusted to serve what the group has committed. */
public enum Health {
    /** Leader with a quorum, or a follower holding everything its leader has told it was committed. */
    CURRENT,
    /** Follower with a leader, but behind its commit index (applying, or missing entries). */
    LAGGING,
    /** Follower receiving a snapshot from its leader. */
    CATCHING_UP,
    /** An election is under way. */
    CANDIDATE,
    /** No leader heard from within the election timeout, or a leader that lost its quorum. */
    LEADERLESS,
    /**
     * The node found damage in its own log or state files at start and truncated it: it votes in no election
     * until a leader has repaired it, so a committed entry it lost cannot be lost by the group.
     */
    REPAIRING,
    /** The node is stopped. */
    CLOSED
}
