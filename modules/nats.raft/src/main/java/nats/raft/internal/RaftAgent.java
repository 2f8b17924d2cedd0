package nats.raft.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nats.raft.GroupStatus;
import nats.raft.Health;
import nats.raft.Member;
import nats.raft.PeerInfo;
import nats.raft.RaftException;
import nats.raft.RaftNode;
import nats.raft.RaftState;
import nats.raft.RaftTransport;

/**
 * A {@link RaftNode} run by one thread (a single-writer agent): callers queue commands, the agent applies a
 * batch of them to its {@link RaftCore}, then flushes once: many proposals or appends share one log write and
 * one fsync (group commit). Futures complete from the agent thread.
 */
final class RaftAgent implements RaftNode {

    private static final System.Logger LOG = System.getLogger(RaftAgent.class.getName());
    private static final int BATCH = 1024;

    private interface Command {
        void run(long now) throws IOException;
    }

    private record Status(RaftState state, Health health, long term, String leader, long commit, long applied,
                          List<PeerInfo> peers, List<Member> members) {
    }

    private record Pending(long term, CompletableFuture<Long> future) {
    }

    private final RaftCore core;
    private final RaftTransport transport;
    private final String group;
    private final LinkedBlockingQueue<Command> queue = new LinkedBlockingQueue<>();
    private final TreeMap<Long, Pending> proposals = new TreeMap<>();
    private final Map<Long, CompletableFuture<Long>> reads = new HashMap<>();
    private final List<CompletableFuture<Void>> transfers = new ArrayList<>();
    private final long tickMs;
    private final Thread thread;
    private long nextReadId;
    private volatile boolean running = true;
    private volatile Status status;
    private String lastLeader = "";
    private Instant leaderSince;
    private boolean everHadLeader;

    RaftAgent(RaftCore.Settings settings, Disk disk, nats.raft.StateMachine stateMachine, RaftTransport transport,
              long seed) throws IOException {
        this.transport = transport;
        this.group = settings.group();
        this.core = new RaftCore(settings, disk, stateMachine, new AgentOutbox(), seed, now());
        this.tickMs = Math.max(5, Math.min(settings.heartbeat() / 4, settings.electionMin() / 10));
        publish();
        this.thread = Thread.ofPlatform().daemon().name("raft-" + settings.group() + "-" + settings.id())
                .start(this::run);
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    private void run() {
        long nextTick = now();
        try {
            while (running) {
                Command first = queue.poll(Math.max(0, nextTick - now()), TimeUnit.MILLISECONDS);
                long now = now();
                if (first != null) {
                    execute(first, now);
                    Command more;
                    for (int i = 0; i < BATCH && (more = queue.poll()) != null; i++) {
                        execute(more, now);
                    }
                }
                if (now >= nextTick) {
                    core.tick(now);
                    nextTick = now + tickMs;
                }
                core.flush(now);
                settleTransfers();
                publish();
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException failure) {
            LOG.log(Level.ERROR, "RAFT group " + group + " member " + core.id() + " stopped: " + failure, failure);
        } finally {
            shutDown();
        }
    }

    private void execute(Command command, long now) throws IOException {
        try {
            command.run(now);
        } catch (RaftException refused) {
            LOG.log(Level.TRACE, "refused: {0}", refused.getMessage());
        }
    }

    private void settleTransfers() {
        if (transfers.isEmpty()) {
            return;
        }
        if (core.role() != RaftState.LEADER) {
            transfers.forEach(f -> f.complete(null));
            transfers.clear();
        } else if (!core.leadership().transferring()) {
            transfers.forEach(f -> f.completeExceptionally(new RaftException("leadership transfer timed out")));
            transfers.clear();
        }
    }

    private void publish() {
        long now = now();
        String leader = core.leaderId();
        if (!leader.equals(lastLeader)) {
            lastLeader = leader;
            leaderSince = leader.isEmpty() ? null : Instant.now();
            everHadLeader |= !leader.isEmpty();
        }
        Leadership leading = core.leadership();
        status = new Status(core.role(), core.health(now), core.term(), leader, core.commit, core.applied,
                leading == null ? List.of() : leading.peerInfo(now), core.members());
    }

    private void shutDown() {
        running = false;
        RaftException closed = new RaftException("RAFT node closed");
        proposals.values().forEach(p -> p.future().completeExceptionally(closed));
        proposals.clear();
        reads.values().forEach(f -> f.completeExceptionally(closed));
        reads.clear();
        transfers.forEach(f -> f.completeExceptionally(closed));
        transfers.clear();
        for (Command c; (c = queue.poll()) != null; ) {
            if (c instanceof Failable f) {
                f.fail(closed);
            }
        }
        try {
            core.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing RAFT log: " + e);
        }
        Status last = status;
        status = new Status(RaftState.CLOSED, Health.CLOSED, last.term(), "", last.commit(), last.applied(), List.of(),
                last.members());
    }

    /** A command whose caller waits on a future: failed if the node closes before it runs. */
    private record Failable(CompletableFuture<?> future, Command body) implements Command {
        @Override
        public void run(long now) throws IOException {
            try {
                body.run(now);
            } catch (RaftException refused) {
                future.completeExceptionally(refused);
            }
        }

        void fail(RaftException e) {
            future.completeExceptionally(e);
        }
    }

    private <T> CompletableFuture<T> submit(CompletableFuture<T> future, Command body) {
        if (!running) {
            future.completeExceptionally(new RaftException("RAFT node closed"));
            return future;
        }
        queue.add(new Failable(future, body));
        return future;
    }

    // --- RaftNode ------------------------------------------------------------------------------------------

    @Override
    public String id() {
        return core.id();
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public RaftState state() {
        return status.state();
    }

    @Override
    public Health health() {
        return status.health();
    }

    @Override
    public long term() {
        return status.term();
    }

    @Override
    public Optional<String> leader() {
        String leader = status.leader();
        return leader.isEmpty() ? Optional.empty() : Optional.of(leader);
    }

    @Override
    public long commitIndex() {
        return status.commit();
    }

    @Override
    public long appliedIndex() {
        return status.applied();
    }

    @Override
    public CompletableFuture<Long> propose(byte[] data) {
        byte[] copy = data.clone();
        CompletableFuture<Long> future = new CompletableFuture<>();
        return submit(future, now -> proposals.put(core.propose(copy), new Pending(core.term(), future)));
    }

    @Override
    public CompletableFuture<Long> propose(byte[] data, java.util.function.BooleanSupplier stillWanted) {
        byte[] copy = data.clone();
        CompletableFuture<Long> future = new CompletableFuture<>();
        return submit(future, now -> {
            if (!stillWanted.getAsBoolean()) {
                throw new RaftException("refused: an earlier proposal failed");
            }
            proposals.put(core.propose(copy), new Pending(core.term(), future));
        });
    }

    @Override
    public void proposeAll(List<byte[]> entries) {
        if (running && !entries.isEmpty()) {
            queue.add(now -> core.proposeAll(entries));
        }
    }

    @Override
    public CompletableFuture<Long> readIndex() {
        CompletableFuture<Long> future = new CompletableFuture<>();
        return submit(future, now -> {
            long id = nextReadId++;
            reads.put(id, future);
            core.readIndex(id, now);
        });
    }

    @Override
    public CompletableFuture<Long> addMember(Member member) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        return submit(future, now -> proposals.put(core.changeMembership(core.membership().with(member)),
                new Pending(core.term(), future)));
    }

    @Override
    public CompletableFuture<Long> removeMember(String id) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        return submit(future, now -> {
            if (core.membership().find(id).isEmpty()) {
                throw new RaftException(id + " is not a member");
            }
            proposals.put(core.changeMembership(core.membership().without(id)), new Pending(core.term(), future));
        });
    }

    @Override
    public CompletableFuture<Void> transferLeadership(String id) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        return submit(future, now -> {
            core.transferLeadership(id, now);
            transfers.add(future);
        });
    }

    @Override
    public void campaign() {
        if (running) {
            queue.add(core::campaign);
        }
    }

    @Override
    public CompletableFuture<Void> stepDown() {
        CompletableFuture<Void> future = new CompletableFuture<>();
        return submit(future, now -> {
            if (core.leadership() == null) {
                throw new RaftException("not the leader", core.leaderId());
            }
            String successor = core.leadership().bestSuccessor(now);
            if (successor.isEmpty()) {
                throw new RaftException("no other voter is current enough to take over");
            }
            core.transferLeadership(successor, now);
            transfers.add(future);
        });
    }

    @Override
    public List<PeerInfo> peers() {
        return status.peers();
    }

    @Override
    public List<Member> members() {
        return status.members();
    }

    @Override
    public CompletableFuture<GroupStatus> describe() {
        CompletableFuture<GroupStatus> future = new CompletableFuture<>();
        return submit(future, now -> {
            Leadership leading = core.leadership();
            RaftLog log = core.log;
            long entries = Math.max(0, log.lastIndex() - log.firstIndex() + 1);
            future.complete(new GroupStatus(core.id(), core.role(), core.members(), core.membership().quorum(),
                    core.commit, core.applied, core.installing(), core.leaderId(), leaderSince, everHadLeader,
                    core.term(), core.vote(), log.lastTerm(), log.lastIndex(),
                    new GroupStatus.Log(entries, log.bytes(), log.firstIndex(), log.lastIndex()),
                    leading == null ? List.of() : leading.peerInfo(now)));
        });
    }

    @Override
    public void receive(byte[] frame) {
        receive(frame, 0, frame.length);
    }

    /** Decodes on the caller's thread (a route's reader), so the frame is copied only into the RPC. */
    @Override
    public void receive(byte[] buffer, int offset, int length) {
        Rpc rpc;
        try {
            rpc = RpcCodec.decode(buffer, offset, length);
        } catch (IllegalArgumentException malformed) {
            LOG.log(Level.DEBUG, "RAFT group {0}: dropped a malformed frame: {1}", group, malformed.getMessage());
            return;
        }
        if (running) {
            queue.add(now -> core.receive(rpc, now));
        }
    }

    @Override
    public void close() {
        // No interrupt: a thread interrupted inside FileChannel I/O closes the channel under the log.
        running = false;
        queue.add(now -> { });
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class AgentOutbox implements Outbox {

        /** The last RPC encoded and its frame: a leader sends the same append to followers at the same point. */
        private Rpc lastRpc;
        private byte[] lastFrame;

        @Override
        public void send(String peer, Rpc rpc) {
            try {
                if (rpc != lastRpc) {
                    lastFrame = RpcCodec.encode(rpc);
                    lastRpc = rpc;
                }
                transport.send(peer, lastFrame);
            } catch (RuntimeException failed) {
                LOG.log(Level.DEBUG, "RAFT group {0}: sending to {1} failed: {2}", group, peer, failed);
            }
        }

        @Override
        public void applied(long index, long term) {
            // Called for every applied entry: settles proposals up to it from the head (no view objects).
            for (Map.Entry<Long, Pending> first; (first = proposals.firstEntry()) != null && first.getKey() <= index; ) {
                proposals.pollFirstEntry();
                long i = first.getKey();
                Pending p = first.getValue();
                if (i == index && p.term() == term) {
                    p.future().complete(index);
                } else {
                    p.future().completeExceptionally(new RaftException("entry " + i + " was replaced by another leader"));
                }
            }
        }

        @Override
        public void skipped(long through) {
            var unknown = proposals.headMap(through, true);
            unknown.values().forEach(p -> p.future().completeExceptionally(
                    new RaftException("outcome unknown: a snapshot from the leader replaced the log")));
            unknown.clear();
        }

        @Override
        public void readReady(long id, long index) {
            CompletableFuture<Long> f = reads.remove(id);
            if (f != null) {
                f.complete(index);
            }
        }

        @Override
        public void readFailed(long id, RaftException reason) {
            CompletableFuture<Long> f = reads.remove(id);
            if (f != null) {
                f.completeExceptionally(reason);
            }
        }
    }

    static RaftAgent start(RaftCore.Settings settings, Disk disk, nats.raft.StateMachine stateMachine,
                           RaftTransport transport, long seed) {
        try {
            return new RaftAgent(settings, disk, stateMachine, transport, seed);
        } catch (IOException e) {
            throw new UncheckedIOException("opening RAFT group " + settings.group() + ": " + e.getMessage(), e);
        }
    }
}
