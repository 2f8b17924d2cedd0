package nats.raft;

import java.util.Optional;

/** A request a node cannot serve (not the leader, a change already under way, the node closed, damage). */
public class RaftException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String leaderHint;

    public RaftException(String message) {
        this(message, "");
    }

    public RaftException(String message, String leaderHint) {
        super(message);
        this.leaderHint = leaderHint == null ? "" : leaderHint;
    }

    /** The leader this node knows of, where a request should go instead. */
    public Optional<String> leaderHint() {
        return leaderHint.isEmpty() ? Optional.empty() : Optional.of(leaderHint);
    }
}
