package nats.raft;

import java.util.ServiceLoader;

/** Starts RAFT group members; the implementation is found with {@link ServiceLoader}. */
public interface RaftGroups {

    /**
     * Opens (or recovers from {@link RaftConfig#dataDir()}) one member and starts its thread.
     *
     * @throws java.io.UncheckedIOException when its files cannot be opened
     */
    RaftNode start(RaftConfig config, StateMachine stateMachine, RaftTransport transport);

    /** The implementation on the module path (or class path). */
    static RaftGroups load() {
        return ServiceLoader.load(RaftGroups.class, RaftGroups.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no nats.raft.RaftGroups implementation found"));
    }
}
