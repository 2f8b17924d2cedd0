package nats.raft.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import nats.raft.RaftConfig;
import nats.raft.RaftGroups;
import nats.raft.RaftNode;
import nats.raft.RaftTransport;
import nats.raft.StateMachine;

/** The {@link RaftGroups} provider: members on the real file system, each run by a {@link RaftAgent}. */
public final class DefaultRaftGroups implements RaftGroups {

    /** Largest data carried by one append, so frames stay under NATS's default 1 MiB payload limit. */
    static final int MAX_APPEND_BYTES = 512 * 1024;
    static final int SNAPSHOT_CHUNK = 256 * 1024;

    /** Found with ServiceLoader. */
    public DefaultRaftGroups() {
    }

    @Override
    public RaftNode start(RaftConfig config, StateMachine stateMachine, RaftTransport transport) {
        try {
            return RaftAgent.start(settings(config), new FileDisk(config.dataDir()), stateMachine, transport,
                    new SecureRandom().nextLong());
        } catch (IOException e) {
            throw new UncheckedIOException("opening RAFT directory " + config.dataDir() + ": " + e.getMessage(), e);
        }
    }

    static RaftCore.Settings settings(RaftConfig c) {
        return new RaftCore.Settings(c.group(), c.nodeId(), new Membership(c.members()),
                c.electionTimeoutMin().toMillis(), c.electionTimeoutMax().toMillis(), c.heartbeat().toMillis(),
                c.snapshotThreshold(), c.segmentBytes(), MAX_APPEND_BYTES, SNAPSHOT_CHUNK);
    }
}
