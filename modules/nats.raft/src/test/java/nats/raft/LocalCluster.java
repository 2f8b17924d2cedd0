package nats.raft;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** Real RAFT nodes (threads, files, fsync) in one JVM, wired by an in-process transport that can cut members off. */
final class LocalCluster implements AutoCloseable {

    /** Keeps every applied entry, readable from the test thread. */
    static final class Log implements StateMachine {
        final List<byte[]> entries = java.util.Collections.synchronizedList(new ArrayList<>());
        /** Entries applied since the last {@link #applied()} call, and how many rounds ended (group thread writes). */
        volatile int unsettled;
        volatile int rounds;

        @Override
        public void apply(long index, byte[] data) {
            entries.add(data);
            unsettled++;
        }

        @Override
        public void applied() {
            if (unsettled == 0) {
                throw new IllegalStateException("applied() without an entry applied in the round");
            }
            unsettled = 0;
            rounds++;
        }

        @Override
        public byte[] snapshot() {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                synchronized (entries) {
                    out.writeInt(entries.size());
                    for (byte[] e : entries) {
                        out.writeInt(e.length);
                        out.write(e);
                    }
                }
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void restore(byte[] snapshot) {
            try {
                DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(snapshot));
                List<byte[]> restored = new ArrayList<>();
                for (int n = in.readInt(); n > 0; n--) {
                    restored.add(in.readNBytes(in.readInt()));
                }
                synchronized (entries) {
                    entries.clear();
                    entries.addAll(restored);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        int size() {
            return entries.size();
        }
    }

    final Path root;
    final Map<String, RaftNode> nodes = new ConcurrentHashMap<>();
    final Map<String, Log> logs = new ConcurrentHashMap<>();
    final Set<String> cut = ConcurrentHashMap.newKeySet();
    private final long snapshotThreshold;
    private final Duration electionMin;
    private final RaftGroups groups = RaftGroups.load();

    LocalCluster(Path root, long snapshotThreshold) {
        this(root, snapshotThreshold, Duration.ofMillis(300));
    }

    /** Elections after {@code electionMin} to twice that without a leader; heartbeats at a sixth of it. */
    LocalCluster(Path root, long snapshotThreshold, Duration electionMin) {
        this.root = root;
        this.snapshotThreshold = snapshotThreshold;
        this.electionMin = electionMin;
    }

    RaftNode start(String id, List<Member> members) {
        RaftConfig config = RaftConfig.of("test", id, members, root.resolve(id))
                .withTiming(electionMin, electionMin.multipliedBy(2), electionMin.dividedBy(6))
                .withSnapshotThreshold(snapshotThreshold);
        Log log = new Log();
        RaftNode node = groups.start(config, log, (peer, frame) -> {
            RaftNode target = nodes.get(peer);
            if (target != null && !cut.contains(id) && !cut.contains(peer)) {
                target.receive(frame);
            }
        });
        nodes.put(id, node);
        logs.put(id, log);
        return node;
    }

    void stop(String id) {
        RaftNode node = nodes.remove(id);
        if (node != null) {
            node.close();
        }
    }

    Optional<RaftNode> leader() {
        return nodes.values().stream().filter(n -> n.state() == RaftState.LEADER && !cut.contains(n.id())).findFirst();
    }

    RaftNode awaitLeader() {
        await(() -> leader().isPresent(), "a leader");
        return leader().orElseThrow();
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 15 s waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        nodes.values().forEach(RaftNode::close);
        nodes.clear();
    }
}
