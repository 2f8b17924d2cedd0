package nats.raft.internal;

import java.util.List;

/** The RPCs members exchange; {@link RpcCodec} gives their wire form. Every RPC carries its sender's term and id. */
sealed interface Rpc {

    long term();

    String from();

    /** A (pre-)vote request; a pre-vote asks "would you vote for me in {@code term}?" without anyone changing term. */
    record VoteRequest(long term, String from, long lastIndex, long lastTerm, boolean preVote, boolean transfer)
            implements Rpc {
    }

    record VoteResponse(long term, String from, boolean granted, boolean preVote) implements Rpc {
    }

    /**
     * Entries after {@code prevIndex}@{@code prevTerm} (none: a heartbeat). {@code leaderLast} is the leader's last
     * index (a repairing follower's target); {@code seq} is echoed back, confirming leadership for read index.
     */
    record Append(long term, String from, long prevIndex, long prevTerm, long commit, long leaderLast, long seq,
                  List<LogEntry> entries) implements Rpc {
    }

    /** On success {@code index} is the follower's match; on failure a hint: the index before its first doubt. */
    record AppendResponse(long term, String from, boolean success, long index, long seq) implements Rpc {
    }

    /** One chunk of the leader's snapshot file, which covers the log through {@code lastIndex}@{@code lastTerm}. */
    record InstallSnapshot(long term, String from, long lastIndex, long lastTerm, long offset, long total,
                           byte[] chunk) implements Rpc {
    }

    /** {@code received}: bytes held so far (where to continue); {@code done}: the snapshot is installed. */
    record SnapshotResponse(long term, String from, long lastIndex, long received, boolean done) implements Rpc {
    }

    /** Leadership transfer: the leader tells an up-to-date follower to start an election at once. */
    record TimeoutNow(long term, String from) implements Rpc {
    }
}
