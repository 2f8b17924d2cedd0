package nats.raft;

/** The role a node plays in its group, as Go's RaftState names them. */
public enum RaftState {
    FOLLOWER, CANDIDATE, LEADER, OBSERVER, CLOSED
}
