package nats.raft;

import java.time.Instant;
import java.util.List;

/**
 * One member's view of its group, as Go's {@code /raftz} shows it; taken on the member's own thread, so its fields
 * agree with each other.
 *
 * @param id            this member's id
 * @param state         its role
 * @param members       the group's members, as its log says
 * @param quorumNeeded  how many voters make a quorum
 * @param committed     the highest index known committed
 * @param applied       the highest index applied to the state machine
 * @param catchingUp    whether it is receiving a snapshot from its leader
 * @param leader        the leader it follows (or itself), empty when none is known
 * @param leaderSince   when it learned of the current leader, null when none is known
 * @param everHadLeader whether it has known a leader since it started
 * @param term          its current term
 * @param votedFor      whom it voted for in that term, empty for nobody
 * @param lastTerm      the term of its last log entry
 * @param lastIndex     the index of its last log entry
 * @param log           what its log holds on disk
 * @param peers         what it knows of the other members as leader; empty on a follower
 */
public record GroupStatus(String id, RaftState state, List<Member> members, int quorumNeeded, long committed,
                          long applied, boolean catchingUp, String leader, Instant leaderSince,
                          boolean everHadLeader, long term, String votedFor, long lastTerm, long lastIndex, Log log,
                          List<PeerInfo> peers) {

    /**
     * The entries the log holds ({@code firstIndex} to {@code lastIndex}; none when {@code entries} is 0) and the
     * bytes of its files.
     */
    public record Log(long entries, long bytes, long firstIndex, long lastIndex) {
    }
}
