package nats.raft.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import nats.raft.Member;
import nats.raft.RaftException;
import nats.raft.RaftState;

/**
 * A deterministic, seeded simulation of one RAFT group: the real {@link RaftCore} and log format over
 * {@link SimDisk}s, a network that loses, duplicates, delays (so reorders) and partitions messages, crashes at
 * any point of a node's work (losing unsynced writes), and damage to a minority's disks. Checkers watch election
 * safety, log matching, leader completeness and state machine safety as it runs; {@link #heal} then checks that
 * every acknowledged proposal is on every replica, once.
 */
final class Simulation {

    /** Fault rates, per simulated millisecond and node (or per message). */
    record Faults(double drop, double duplicate, int maxLatency, double crashPerMs, double crashMidBatch,
                  double partitionPerMs, double corruptOnCrash, double proposePerMs, double pausePerMs) {

        static final Faults NONE = new Faults(0, 0, 3, 0, 0, 0, 0, 0.3, 0);
        static final Faults HARSH = new Faults(0.05, 0.03, 25, 0.0004, 0.002, 0.0005, 0.3, 0.3, 0.0002);
    }

    private record Message(long at, long order, String to, byte[] frame) {
    }

    private final class Node implements Outbox {
        final String id;
        final SimDisk disk = new SimDisk();
        RaftCore core;
        SimStateMachine machine;
        long downUntil = -1;
        long pausedUntil = -1;  // SIGSTOP: state kept, nothing processed, messages wait
        long nextTick;
        Membership bootstrap;
        final Map<Long, long[]> pendingValues = new HashMap<>(); // index -> {value, term} proposed here, this life only

        Node(String id) {
            this.id = id;
        }

        boolean up() {
            return core != null;
        }

        void start() {
            machine = new SimStateMachine(errors);
            try {
                core = new RaftCore(settings(id, bootstrap), disk, machine, this, random.nextLong(), now);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            pendingValues.clear();
            if (TRACE != null) {
                events.add(now + " " + id + " after restart: log " + core.log.firstIndex() + ".." + core.log.lastIndex()
                        + " snapshot " + core.snapshotIndex() + " " + core.log.recovery());
            }
            if (core.repairing()) {
                events.add(now + " " + id + " restarted, repairing");
            }
        }

        @Override
        public void send(String peer, Rpc rpc) {
            byte[] frame = RpcCodec.encode(rpc);
            if (blocked.contains(id + ">" + peer) || random.nextDouble() < faults.drop()) {
                return;
            }
            network.add(new Message(now + 1 + random.nextInt(faults.maxLatency()), order++, peer, frame));
            if (random.nextDouble() < faults.duplicate()) {
                network.add(new Message(now + 1 + random.nextInt(faults.maxLatency() * 2), order++, peer, frame));
            }
        }

        @Override
        public void applied(long index, long term) {
            committedTerm(index, term);
            long[] proposal = pendingValues.remove(index);
            if (proposal != null && proposal[1] == term) {
                acknowledged.add(proposal[0]);
                highestAcknowledgedIndex = Math.max(highestAcknowledgedIndex, index);
            }
        }

        @Override
        public void skipped(long through) {
            pendingValues.keySet().removeIf(i -> i <= through);
        }

        @Override
        public void readReady(long id, long index) {
            Long required = reads.remove(id);
            if (required != null && index < required) {
                errors.add("read index: " + this.id + " answered a read at " + index + " but " + required
                        + " was acknowledged before the read began");
            }
            readsServed++;
        }

        @Override
        public void readFailed(long id, RaftException reason) {
            reads.remove(id);
        }
    }

    static String TRACE = System.getProperty("sim.trace");
    static long traceFrom = Long.getLong("sim.traceFrom", 0);
    final long seed;
    private final Random random;
    private final Faults faults;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final PriorityQueue<Message> network = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private final Set<String> blocked = new HashSet<>();
    private final List<String> errors = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    private final TreeMap<Long, String> leaders = new TreeMap<>();       // term -> leader
    private final TreeMap<Long, Long> committedTerms = new TreeMap<>();  // index -> term, from applies
    private final Map<Long, Long> committedValues = new HashMap<>();     // index -> value
    final Set<Long> acknowledged = new HashSet<>();
    private long highestAcknowledgedIndex;
    private final Map<Long, Long> reads = new HashMap<>(); // read id -> index acknowledged before it began
    private long nextRead;
    int readsServed;
    int transfers;
    private long now;
    private long order;
    private long nextValue = 1;
    private String damaged = "";
    private long damagedUntilIndex;
    int crashes;
    int corruptions;
    int partitions;
    long snapshotInstalls;

    Simulation(long seed, int size, Faults faults) {
        this.seed = seed;
        this.random = new Random(seed);
        this.faults = faults;
        for (int i = 1; i <= size; i++) {
            nodes.put("n" + i, new Node("n" + i));
        }
        Membership initial = new Membership(nodes.keySet().stream().map(Member::voter).toList());
        nodes.values().forEach(n -> n.bootstrap = initial);
        nodes.values().forEach(Node::start);
    }

    private RaftCore.Settings settings(String id, Membership bootstrap) {
        // Small segments and snapshots every 64 entries, so rolling, compaction and snapshot installs happen often.
        return new RaftCore.Settings("sim", id, bootstrap, 150, 300, 40, 64, 4096, 2048, 512);
    }

    // --- membership ----------------------------------------------------------------------------------------

    RaftCore leader() {
        return nodes.values().stream().filter(Node::up).map(n -> n.core).filter(c -> c.role() == RaftState.LEADER)
                .findFirst().orElse(null);
    }

    RaftCore core(String id) {
        return nodes.get(id).core;
    }

    /**
     * Changes the membership through the leader, retrying (without faults) until the change is committed;
     * a new member starts knowing the current members only, as a member joining a running group does.
     */
    void changeMembers(java.util.function.UnaryOperator<Membership> change, long maxMillis) {
        long end = now + maxMillis;
        long index = -1;
        long term = -1;
        Membership target = null;
        while (now < end) {
            step(false);
            RaftCore leader = leader();
            if (leader == null) {
                continue;
            }
            if (index >= 0 && leader.commit >= index) {
                if (leader.membership().equals(target)) {
                    return;
                }
                index = -1; // another entry was committed at that index: the change was lost with its leader
            }
            if (index < 0) {
                Membership next = change.apply(leader.membership());
                target = next;
                for (Member m : next.members()) {
                    nodes.computeIfAbsent(m.id(), id -> {
                        Node added = new Node(id);
                        added.bootstrap = leader.membership();
                        added.start();
                        events.add(now + " " + id + " started to join");
                        return added;
                    });
                }
                try {
                    index = leader.changeMembership(next);
                    term = leader.term();
                    events.add(now + " membership change at " + index + ": " + next.members());
                } catch (RaftException notYet) {
                    continue;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new AssertionError(describe("membership change not committed within " + maxMillis + " ms"));
    }

    /** Stops a removed member for good. */
    void retire(String id) {
        nodes.remove(id);
    }

    /** Runs {@code millis} of simulated time under the faults. */
    void run(long millis) {
        long end = now + millis;
        while (now < end) {
            step(true);
        }
    }

    private void step(boolean faulty) {
        now++;
        if (faulty && random.nextDouble() < faults.partitionPerMs()) {
            repartition();
        }
        Map<String, List<Message>> due = new LinkedHashMap<>();
        while (!network.isEmpty() && network.peek().at() <= now) {
            Message m = network.poll();
            due.computeIfAbsent(m.to(), k -> new ArrayList<>()).add(m);
        }
        for (Node n : nodes.values()) {
            if (!n.up()) {
                if (n.downUntil >= 0 && now >= n.downUntil) {
                    n.downUntil = -1;
                    n.start();
                }
                continue;
            }
            if (n.pausedUntil > now) {
                for (Message m : due.getOrDefault(n.id, List.of())) {
                    network.add(new Message(n.pausedUntil, order++, m.to(), m.frame()));
                }
                continue;
            }
            if (faulty && random.nextDouble() < faults.pausePerMs()) {
                n.pausedUntil = now + 100 + random.nextInt(1500);
                events.add(now + " " + n.id + " paused until " + n.pausedUntil
                        + (n.core.role() == RaftState.LEADER ? " (leader)" : ""));
                for (Message m : due.getOrDefault(n.id, List.of())) {
                    network.add(new Message(n.pausedUntil, order++, m.to(), m.frame()));
                }
                continue;
            }
            try {
                work(n, due.getOrDefault(n.id, List.of()), faulty);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                throw new AssertionError(describe("exception in " + n.id + ": " + e), e);
            }
            checkLeader(n);
        }
        if (now % 500 == 0) {
            checkLogMatching();
        }
        if (!errors.isEmpty()) {
            throw new AssertionError(describe(String.join("; ", errors)));
        }
    }

    private void work(Node n, List<Message> inbox, boolean faulty) throws IOException {
        for (Message m : inbox) {
            if (TRACE != null && TRACE.equals(n.id) && now > traceFrom) {
                Rpc r = RpcCodec.decode(m.frame());
                String what = r instanceof Rpc.Append a ? "Append prev " + a.prevIndex() + "@" + a.prevTerm() + " n=" + a.entries().size() + " commit " + a.commit() + " last " + a.leaderLast() : r.toString();
                events.add(now + " -> " + n.id + ": " + what);
            }
            n.core.receive(RpcCodec.decode(m.frame()), now);
            if (faulty && random.nextDouble() < faults.crashMidBatch()) {
                crash(n, "mid-batch");
                return;
            }
        }
        if (now >= n.nextTick) {
            n.core.tick(now);
            n.nextTick = now + 10;
        }
        if (faulty && n.core.role() == RaftState.LEADER && random.nextDouble() < faults.proposePerMs()) {
            long value = nextValue++;
            try {
                long index = n.core.propose(ByteBuffer.allocate(8).putLong(value).array());
                n.pendingValues.put(index, new long[] {value, n.core.term()});
            } catch (RaftException refused) {
                // transfer in progress: the client retries elsewhere
            }
        }
        if (faulty && n.core.role() == RaftState.LEADER && random.nextDouble() < 0.01) {
            long id = nextRead++;
            reads.put(id, highestAcknowledgedIndex);
            n.core.readIndex(id, now);
        }
        if (faulty && n.core.role() == RaftState.LEADER && random.nextDouble() < 0.0003) {
            List<String> others = nodes.keySet().stream().filter(o -> !o.equals(n.id)).toList();
            String target = others.get(random.nextInt(others.size()));
            try {
                n.core.transferLeadership(target, now);
                transfers++;
                events.add(now + " " + n.id + " transfers leadership to " + target);
            } catch (RaftException refused) {
                // already transferring
            }
        }
        n.core.flush(now);
        if (damaged.equals(n.id) && !n.core.repairing() && n.core.log.syncedIndex() >= damagedUntilIndex) {
            damaged = "";
        }
        if (faulty && random.nextDouble() < faults.crashPerMs()) {
            crash(n, "after flush");
        }
    }

    private void crash(Node n, String when) {
        crashes++;
        if (TRACE != null) {
            events.add(now + " " + n.id + " before crash: log " + n.core.log.firstIndex() + ".." + n.core.log.lastIndex()
                    + " synced " + n.core.log.syncedIndex() + " dirty " + n.core.log.dirty() + " snapshot "
                    + n.core.snapshotIndex() + " role " + n.core.role());
        }
        n.core = null;
        n.disk.crash(random);
        n.downUntil = now + 20 + random.nextInt(1500);
        String note = "";
        if (damaged.isEmpty() && random.nextDouble() < faults.corruptOnCrash()) {
            String what = random.nextBoolean() ? n.disk.corrupt(random) : n.disk.truncate(random);
            if (!what.isEmpty()) {
                corruptions++;
                damaged = n.id;
                damagedUntilIndex = committedTerms.isEmpty() ? 0 : committedTerms.lastKey();
                note = ", disk damaged: " + what;
            }
        }
        events.add(now + " " + n.id + " crashed " + when + note);
    }

    private void repartition() {
        blocked.clear();
        if (random.nextInt(3) == 0) {
            events.add(now + " partition healed");
            return;
        }
        partitions++;
        List<String> ids = new ArrayList<>(nodes.keySet());
        String isolated = ids.get(random.nextInt(ids.size()));
        boolean oneWay = random.nextBoolean();
        for (String other : ids) {
            if (!other.equals(isolated)) {
                blocked.add(isolated + ">" + other);
                if (!oneWay) {
                    blocked.add(other + ">" + isolated);
                }
            }
        }
        events.add(now + " " + isolated + " partitioned" + (oneWay ? " (outbound only)" : ""));
    }

    // --- checkers ------------------------------------------------------------------------------------------

    private void committedTerm(long index, long term) {
        Long known = committedTerms.putIfAbsent(index, term);
        if (known != null && known != term) {
            errors.add("state machine safety: index " + index + " applied with term " + term + " and " + known);
        }
    }

    /** Called from each node's state machine through {@link #checkApplied}. */
    private void checkLeader(Node n) {
        if (n.core == null || n.core.role() != RaftState.LEADER) {
            return;
        }
        long term = n.core.term();
        String known = leaders.putIfAbsent(term, n.id);
        if (known == null) {
            events.add(now + " " + n.id + " leader of term " + term);
            checkCompleteness(n);
        } else if (!known.equals(n.id)) {
            errors.add("election safety: " + known + " and " + n.id + " both leaders of term " + term);
        }
    }

    /** Leader completeness: a new leader holds every entry any replica applied so far. */
    private void checkCompleteness(Node n) {
        RaftLog log = n.core.log;
        for (Map.Entry<Long, Long> c : committedTerms.entrySet()) {
            long index = c.getKey();
            if (index <= n.core.snapshotIndex()) {
                continue;
            }
            if (log.termAt(index) != c.getValue()) {
                errors.add("leader completeness: new leader " + n.id + " of term " + n.core.term() + " has "
                        + log.termAt(index) + " at committed index " + index + " (term " + c.getValue() + ")");
                return;
            }
        }
    }

    /** Log matching: where two logs hold the same index and term, they hold the same entries up to there. */
    void checkLogMatching() {
        List<Node> up = nodes.values().stream().filter(Node::up).toList();
        for (int i = 0; i < up.size(); i++) {
            for (int j = i + 1; j < up.size(); j++) {
                compareLogs(up.get(i), up.get(j));
            }
        }
    }

    private void compareLogs(Node a, Node b) {
        RaftLog la = a.core.log;
        RaftLog lb = b.core.log;
        long from = Math.max(la.firstIndex(), lb.firstIndex());
        long to = Math.min(la.lastIndex(), lb.lastIndex());
        long top = -1;
        for (long i = to; i >= from; i--) {
            if (la.termAt(i) == lb.termAt(i)) {
                top = i;
                break;
            }
        }
        try {
            for (long i = from; i <= top; i++) {
                if (la.termAt(i) != lb.termAt(i) || !Arrays.equals(la.entry(i).data(), lb.entry(i).data())) {
                    errors.add("log matching: " + a.id + " and " + b.id + " agree at " + top + "@" + la.termAt(top)
                            + " but differ at " + i);
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- the end -------------------------------------------------------------------------------------------

    /**
     * Stops all faults, restarts every node, and runs until one leader has committed a fresh entry that every
     * node has applied; then every acknowledged value must be on every node, exactly once, in the same order.
     */
    void heal(long maxMillis) {
        nodes.values().forEach(n -> n.pausedUntil = -1);
        try {
            healOrFail(maxMillis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void healOrFail(long maxMillis) throws IOException {
        blocked.clear();
        for (Node n : nodes.values()) {
            if (!n.up()) {
                n.downUntil = -1;
                n.start();
            }
        }
        long end = now + maxMillis;
        long marker = -1;
        long markerTerm = -1;
        while (now < end) {
            step(false);
            Node leader = nodes.values().stream().filter(n -> n.core.role() == RaftState.LEADER).findFirst().orElse(null);
            // A marker proposed by a leader that lost its place may never commit: the next leader proposes again.
            if (leader != null && markerTerm != leader.core.term()
                    && leader.core.log.termAt(leader.core.commit) == leader.core.term()) {
                try {
                    long value = nextValue++;
                    marker = leader.core.propose(ByteBuffer.allocate(8).putLong(value).array());
                    markerTerm = leader.core.term();
                    leader.pendingValues.put(marker, new long[] {value, leader.core.term()});
                } catch (RaftException transferring) {
                    // a transfer started before healing is still running: propose on a later step
                }
            }
            long m = marker;
            if (marker > 0 && nodes.values().stream().allMatch(n -> n.core.applied >= m)) {
                break;
            }
        }
        long target = marker;
        if (target < 0 || nodes.values().stream().anyMatch(n -> n.core.applied < target)) {
            // (every node still in the simulation is a member: removed ones are retired)
            throw new AssertionError(describe("liveness: no leader committed a fresh entry on every node within "
                    + maxMillis + " ms after healing"));
        }
        checkLogMatching();
        List<Long> reference = null;
        for (Node n : nodes.values()) {
            List<Long> values = n.machine.values;
            if (new HashSet<>(values).size() != values.size()) {
                throw new AssertionError(describe(n.id + " applied a value twice"));
            }
            for (long v : acknowledged) {
                if (!values.contains(v)) {
                    throw new AssertionError(describe("acknowledged value " + v + " lost on " + n.id));
                }
            }
            if (reference != null && !reference.equals(values.subList(0, Math.min(values.size(), reference.size())))
                    && !values.equals(reference.subList(0, Math.min(values.size(), reference.size())))) {
                throw new AssertionError(describe(n.id + " applied values in another order"));
            }
            reference = reference == null || values.size() > reference.size() ? values : reference;
        }
        if (!errors.isEmpty()) {
            throw new AssertionError(describe(String.join("; ", errors)));
        }
    }

    String describe(String problem) {
        int from = Math.max(0, events.size() - 40);
        StringBuilder state = new StringBuilder();
        for (Node n : nodes.values()) {
            state.append("\n  ").append(n.id).append(": ");
            if (n.core == null) {
                state.append("down");
            } else {
                RaftCore c = n.core;
                state.append(c.role()).append(" term ").append(c.term()).append(" leader '").append(c.leaderId())
                        .append("' log ").append(c.log.firstIndex()).append("..").append(c.log.lastIndex()).append('@')
                        .append(c.log.lastTerm()).append(" commit ").append(c.commit).append(" applied ").append(c.applied)
                        .append(" snapshot ").append(c.snapshotIndex()).append(c.repairing() ? " REPAIRING" : "")
                        .append(" members ").append(c.membership().members().stream()
                                .map(m -> m.id() + (m.voter() ? "" : "(o)")).toList());
            }
        }
        return "seed " + seed + " at " + now + " ms: " + problem + "\nnodes:" + state + "\nlast events:\n  "
                + String.join("\n  ", events.subList(from, events.size()));
    }

    String summary() {
        return "seed " + seed + ": " + now + " ms, " + leaders.size() + " terms with a leader, "
                + committedTerms.size() + " entries committed, " + acknowledged.size() + " acknowledged, "
                + crashes + " crashes, " + corruptions + " disk damages, " + partitions + " partitions, " + readsServed
                + " reads, " + transfers + " transfers";
    }
}
