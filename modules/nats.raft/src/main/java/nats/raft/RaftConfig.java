package nats.raft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to run one member of one group.
 *
 * @param group             the group's name (Go: the stream or consumer group, {@code _meta_})
 * @param nodeId            this member's id
 * @param members           the group's members when it is first created (the same list on every member); a
 *                          member joining a running group starts with the current members, itself not among
 *                          them, and learns its place from the leader's log
 * @param dataDir           where its log, term/vote and snapshot files live
 * @param electionTimeoutMin the shortest time without a leader before a pre-vote starts
 * @param electionTimeoutMax the longest such time (a random value in between is drawn each time)
 * @param heartbeat         how often a leader sends to idle followers
 * @param snapshotThreshold applied entries after which a snapshot is taken and the log compacted
 * @param segmentBytes      size at which a log segment file is closed and a new one started
 */
public record RaftConfig(String group, String nodeId, List<Member> members, Path dataDir,
                         Duration electionTimeoutMin, Duration electionTimeoutMax, Duration heartbeat,
                         long snapshotThreshold, long segmentBytes) {

    public RaftConfig {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(nodeId, "nodeId");
        members = List.copyOf(members);
        Objects.requireNonNull(dataDir, "dataDir");
        if (electionTimeoutMin.compareTo(heartbeat) <= 0 || electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
            throw new IllegalArgumentException("expected heartbeat < electionTimeoutMin < electionTimeoutMax, got "
                    + heartbeat + ", " + electionTimeoutMin + ", " + electionTimeoutMax);
        }
        if (snapshotThreshold < 1 || segmentBytes < 4096) {
            throw new IllegalArgumentException("snapshotThreshold must be >= 1 and segmentBytes >= 4096");
        }
    }

    /** Go's timing (elections after 4–9 s, heartbeats each second), 64 MiB segments, a snapshot each 100,000 entries. */
    public static RaftConfig of(String group, String nodeId, List<Member> members, Path dataDir) {
        return new RaftConfig(group, nodeId, members, dataDir, Duration.ofSeconds(4), Duration.ofSeconds(9),
                Duration.ofSeconds(1), 100_000, 64L << 20);
    }

    /** The same, with other timing. */
    public RaftConfig withTiming(Duration electionMin, Duration electionMax, Duration heartbeatInterval) {
        return new RaftConfig(group, nodeId, members, dataDir, electionMin, electionMax, heartbeatInterval,
                snapshotThreshold, segmentBytes);
    }

    /** The same, with another snapshot threshold. */
    public RaftConfig withSnapshotThreshold(long entries) {
        return new RaftConfig(group, nodeId, members, dataDir, electionTimeoutMin, electionTimeoutMax, heartbeat,
                entries, segmentBytes);
    }
}
