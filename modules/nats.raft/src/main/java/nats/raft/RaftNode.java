package nats.raft;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One running member of a RAFT group. All methods are thread-safe; work is done on the node's own thread.
 * Futures fail with {@link RaftException} when the request cannot be served (for instance not the leader).
 */
public interface RaftNode extends AutoCloseable {

    String id();

    String group();

    RaftState state();

    Health health();

    long term();

    Optional<String> leader();

    /** The highest index known committed, and the highest applied to the state machine. */
    long commitIndex();

    long appliedIndex();

    /**
     * Replicates {@code data}; completes with its log index once a quorum has it on disk and this node has
     * applied it. Only the leader accepts proposals.
     */
    CompletableFuture<Long> propose(byte[] data);

    /**
     * As {@link #propose(byte[])}, but {@code stillWanted} is asked on the node's own thread right before the entry
     * is appended, after everything submitted earlier ran (and their futures that failed by then have run their
     * callbacks): false refuses the proposal. A producer whose earlier proposal failed can so have the later ones,
     * already submitted, refused too, and no later entry of its can be committed past a lost one.
     */
    default CompletableFuture<Long> propose(byte[] data, java.util.function.BooleanSupplier stillWanted) {
        return stillWanted.getAsBoolean() ? propose(data)
                : CompletableFuture.failedFuture(new RaftException("refused: an earlier proposal failed"));
    }

    /**
     * Proposes {@code entries} in order as consecutive log entries, with no future: the caller learns of them only
     * as they are applied (a publisher's batch costs the node one command and one wake-up, not one per entry).
     * Only the leader takes them; elsewhere, or during a leadership transfer, they are dropped. The node keeps
     * the list and its arrays: the caller must not change them afterwards.
     */
    default void proposeAll(List<byte[]> entries) {
        entries.forEach(this::propose);
    }

    /**
     * A linearizable read point: completes once this node has confirmed it is still the leader (a quorum answered
     * a heartbeat sent after the call) and has applied everything committed before the call.
     */
    CompletableFuture<Long> readIndex();

    /** Adds a member (voter or observer); one membership change at a time. Completes when committed. */
    CompletableFuture<Long> addMember(Member member);

    /** Removes a member; a leader removing itself steps down once the change is committed. */
    CompletableFuture<Long> removeMember(String id);

    /** Hands leadership to {@code id}; completes when this node is no longer the leader. */
    CompletableFuture<Void> transferLeadership(String id);

    /** Hands leadership to the most up-to-date other voter (Go's StepDown). */
    CompletableFuture<Void> stepDown();

    /**
     * Asks a member of a group that never had a term (just created) to stand for election soon, after a short random
     * delay instead of a whole election timeout (Go's {@code Campaign} of a group's preferred member): a new group
     * then has a leader within a fraction of a second, not after 4 to 9 s. The delay lets the other members, started
     * by the same assignment at about the same time, subscribe before the votes are asked for. Ignored by a member
     * that has a term, leads, does not vote or is repairing.
     */
    void campaign();

    /** What this node, as leader, knows of the other members; empty on a follower. */
    List<PeerInfo> peers();

    /** The current members, as this node's log says. */
    List<Member> members();

    /** This member's view of the group ({@code /raftz}), taken on its own thread. */
    CompletableFuture<GroupStatus> describe();

    /** Hands in one frame the transport received for this node. */
    void receive(byte[] frame);

    /**
     * Hands in the frame at {@code buffer[offset, offset + length)}, which the caller may reuse once this returns
     * (a transport reading frames off a connection's buffer need not copy them first).
     */
    default void receive(byte[] buffer, int offset, int length) {
        receive(java.util.Arrays.copyOfRange(buffer, offset, offset + length));
    }

    @Override
    void close();
}
