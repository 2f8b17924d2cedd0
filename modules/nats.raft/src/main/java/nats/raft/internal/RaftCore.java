package nats.raft.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import nats.raft.Health;
import nats.raft.Member;
import nats.raft.RaftException;
import nats.raft.RaftState;
import nats.raft.StateMachine;
import nats.raft.internal.Rpc.Append;
import nats.raft.internal.Rpc.AppendResponse;
import nats.raft.internal.Rpc.InstallSnapshot;
import nats.raft.internal.Rpc.SnapshotResponse;
import nats.raft.internal.Rpc.TimeoutNow;
import nats.raft.internal.Rpc.VoteRequest;
import nats.raft.internal.Rpc.VoteResponse;

/**
 * One member's RAFT protocol as a deterministic, single-threaded state machine: it is handed RPCs, proposals
 * and the time, and answers through its {@link Outbox}. Nothing here reads a clock or starts a thread, so the
 * simulation drives the very code the server runs. Responses that promise durability (an append's success) are
 * held until {@link #flush(long)} has synced the log. Leader-side bookkeeping lives in {@link Leadership}.
 */
final class RaftCore {

    private static final System.Logger LOG = System.getLogger(RaftCore.class.getName());

    /** Timing and limits, in milliseconds and bytes. */
    record Settings(String group, String id, Membership bootstrap, long electionMin, long electionMax, long heartbeat,
                    long snapshotThreshold, long segmentBytes, int maxAppendBytes, int snapshotChunk) {
    }

    final Settings settings;
    final RaftLog log;
    final Outbox out;
    private final TermStore termStore;
    private final SnapshotStore snapshots;
    private final StateMachine stateMachine;
    private final Random random;
    private final Disk disk;

    private long term;
    private String vote;
    private RaftState role = RaftState.FOLLOWER;
    private boolean preVoting;
    private final Set<String> votes = new HashSet<>();
    private String leaderId = "";
    private long lastLeaderContact = Long.MIN_VALUE / 2;
    private long electionDeadline;
    /** Until when a new group's campaign asks for pre-votes again after a short delay ({@link #campaign}). */
    private long campaignUntil;
    private long leaderCommitSeen;

    private boolean repairing;
    private long repairTarget = -1;
    private long repairTerm = -1;
    private boolean installing;

    long commit;
    long applied;
    private long snapIndex;
    private long snapTerm;
    private Membership snapMembers;
    private final TreeMap<Long, Membership> configs = new TreeMap<>();

    private Leadership leadership;
    private final List<Map.Entry<String, Rpc>> afterSync = new ArrayList<>();

    RaftCore(Settings settings, Disk disk, StateMachine stateMachine, Outbox out, long seed, long now)
            throws IOException {
        this.settings = settings;
        this.stateMachine = stateMachine;
        this.out = out;
        this.random = new Random(seed);
        this.disk = disk;
        MemberFiles.Opened files = MemberFiles.open(settings, disk);
        this.termStore = files.terms();
        this.snapshots = files.snapshots();
        this.log = files.log();
        this.repairing = files.repairing();
        recover(files.snapshot());
        electionDeadline = now + randomTimeout();
    }

    private void recover(Optional<SnapshotStore.Snapshot> snapshot) throws IOException {
        snapMembers = settings.bootstrap();
        if (snapshot.isPresent()) {
            SnapshotStore.Snapshot s = snapshot.get();
            stateMachine.restore(s.data());
            snapIndex = s.lastIndex();
            snapTerm = s.lastTerm();
            snapMembers = s.members();
            applied = commit = snapIndex;
        }
        term = Math.max(termStore.term(), log.lastTerm());
        vote = term == termStore.term() ? termStore.vote() : "";
        if (term != termStore.term()) {
            termStore.save(term, vote);
        }
        for (long i = log.firstIndex(); i <= log.lastIndex(); i++) {
            if (log.typeAt(i) == EntryType.CONFIG) {
                configs.put(i, Membership.decode(log.entry(i).data()));
            }
        }
    }

    private void markRepairing(boolean on) throws IOException {
        repairing = on;
        MemberFiles.markRepairing(disk, on);
    }

    // --- what the node shows -------------------------------------------------------------------------------

    String id() {
        return settings.id();
    }

    long term() {
        return term;
    }

    String leaderId() {
        return leaderId;
    }

    String vote() {
        return vote;
    }

    /** Whether it is receiving a snapshot from its leader. */
    boolean installing() {
        return installing;
    }

    boolean repairing() {
        return repairing;
    }

    RaftState role() {
        if (role == RaftState.FOLLOWER && !membership().isVoter(id())) {
            return RaftState.OBSERVER;
        }
        return role;
    }

    Membership membership() {
        return configs.isEmpty() ? snapMembers : configs.lastEntry().getValue();
    }

    Leadership leadership() {
        return leadership;
    }

    long snapshotIndex() {
        return snapIndex;
    }

    Health health(long now) {
        if (repairing) {
            return Health.REPAIRING;
        }
        if (installing) {
            return Health.CATCHING_UP;
        }
        return switch (role) {
            case LEADER -> leadership.hasQuorum(now) ? Health.CURRENT : Health.LEADERLESS;
            case CANDIDATE -> Health.CANDIDATE;
            case CLOSED -> Health.CLOSED;
            default -> {
                if (leaderId.isEmpty() || now - lastLeaderContact > settings.electionMax()) {
                    yield Health.LEADERLESS;
                }
                yield applied + 100 < leaderCommitSeen ? Health.LAGGING : Health.CURRENT;
            }
        };
    }

    // --- requests ------------------------------------------------------------------------------------------

    long propose(byte[] data) throws IOException {
        requireProposable();
        return appendOwn(EntryType.NORMAL, data);
    }

    /** Appends {@code entries} as consecutive entries of this term in one append; returns the last index. */
    long proposeAll(List<byte[]> entries) throws IOException {
        requireProposable();
        long index = log.lastIndex();
        List<LogEntry> appended = new ArrayList<>(entries.size());
        for (byte[] data : entries) {
            appended.add(new LogEntry(++index, term, EntryType.NORMAL, data));
        }
        log.append(appended);
        return index;
    }

    private void requireProposable() {
        requireLeader();
        if (leadership.transferring()) {
            throw new RaftException("leadership transfer in progress", "");
        }
    }

    long changeMembership(Membership next) throws IOException {
        requireLeader();
        if (!configs.isEmpty() && configs.lastKey() > commit) {
            throw new RaftException("a membership change is already in progress");
        }
        if (log.termAt(commit) != term) {
            throw new RaftException("leader has not committed an entry of its term yet");
        }
        long index = appendOwn(EntryType.CONFIG, next.encode());
        configs.put(index, next);
        leadership.membersChanged(next);
        return index;
    }

    void readIndex(long id, long now) throws IOException {
        if (role != RaftState.LEADER) {
            out.readFailed(id, new RaftException("not the leader", leaderId));
            return;
        }
        leadership.read(id, now);
    }

    void transferLeadership(String target, long now) throws IOException {
        requireLeader();
        leadership.transfer(target, now);
    }

    private void requireLeader() {
        if (role != RaftState.LEADER) {
            throw new RaftException("not the leader", leaderId);
        }
    }

    private long appendOwn(EntryType type, byte[] data) throws IOException {
        long index = log.lastIndex() + 1;
        log.append(List.of(new LogEntry(index, term, type, data)));
        return index;
    }

    // --- time ----------------------------------------------------------------------------------------------

    void tick(long now) throws IOException {
        if (role == RaftState.LEADER) {
            try {
                leadership.tick(now);
            } catch (LogDamagedException damaged) {
                onDamage(damaged, now);
            }
            return;
        }
        if (now < electionDeadline) {
            return;
        }
        if (membership().isVoter(id()) && !repairing) {
            startPreVote(now);
        } else {
            role = RaftState.FOLLOWER;
            electionDeadline = now + randomTimeout();
        }
    }

    /**
     * A new group's preferred member stands for election after 1/40 to 1/5 of the minimum election timeout (Go's
     * campaign timeout of 100-800 ms with its 4 s), instead of a whole election timeout, and asks again as soon while
     * its pre-votes find no quorum (the other members may start a moment later) for up to one election timeout.
     */
    void campaign(long now) {
        if (term != 0 || role == RaftState.LEADER || !membership().isVoter(id()) || repairing) {
            return;
        }
        campaignUntil = now + settings.electionMin();
        electionDeadline = Math.min(electionDeadline, now + campaignTimeout());
    }

    private long campaignTimeout() {
        long min = settings.electionMin();
        return min / 40 + (long) (random.nextDouble() * (min / 5 - min / 40));
    }

    /** The next election deadline: short while a new group's campaign lasts, a whole election timeout otherwise. */
    private long nextDeadline(long now) {
        return term == 0 && now < campaignUntil ? now + campaignTimeout() : now + randomTimeout();
    }

    long randomTimeout() {
        return settings.electionMin() + (long) (random.nextDouble() * (settings.electionMax() - settings.electionMin()));
    }

    private boolean leaderRecently(long now) {
        return role == RaftState.LEADER || (!leaderId.isEmpty() && now - lastLeaderContact < settings.electionMin());
    }

    // --- elections -----------------------------------------------------------------------------------------

    private void startPreVote(long now) throws IOException {
        role = RaftState.CANDIDATE;
        preVoting = true;
        leaderId = "";
        votes.clear();
        votes.add(id());
        electionDeadline = nextDeadline(now);
        for (String peer : membership().voters()) {
            if (!peer.equals(id())) {
                out.send(peer, new VoteRequest(term + 1, id(), log.lastIndex(), log.lastTerm(), true, false));
            }
        }
        if (votes.size() >= membership().quorum()) {
            startElection(now, false);
        }
    }

    private void startElection(long now, boolean transfer) throws IOException {
        setTerm(term + 1, id());
        role = RaftState.CANDIDATE;
        preVoting = false;
        leaderId = "";
        votes.clear();
        votes.add(id());
        electionDeadline = now + randomTimeout();
        for (String peer : membership().voters()) {
            if (!peer.equals(id())) {
                out.send(peer, new VoteRequest(term, id(), log.lastIndex(), log.lastTerm(), false, transfer));
            }
        }
        if (votes.size() >= membership().quorum()) {
            becomeLeader(now);
        }
    }

    private void becomeLeader(long now) throws IOException {
        role = RaftState.LEADER;
        preVoting = false;
        leaderId = id();
        leadership = new Leadership(this, now);
        appendOwn(EntryType.NOOP, new byte[0]);
        LOG.log(Level.DEBUG, "RAFT group {0}: {1} is leader in term {2}", settings.group(), id(), term);
    }

    /** Becomes a follower, of {@code newTerm} if that is higher (forgetting the vote). */
    void stepDown(long newTerm, long now) throws IOException {
        if (newTerm > term) {
            setTerm(newTerm, "");
        }
        if (leadership != null) {
            leadership.close();
            leadership = null;
        }
        role = RaftState.FOLLOWER;
        preVoting = false;
        leaderId = "";
        electionDeadline = now + randomTimeout();
    }

    private void setTerm(long newTerm, String newVote) throws IOException {
        termStore.save(newTerm, newVote);
        term = newTerm;
        vote = newVote;
    }

    private boolean logUpToDate(long lastIndex, long lastTerm) {
        return lastTerm > log.lastTerm() || (lastTerm == log.lastTerm() && lastIndex >= log.lastIndex());
    }

    // --- messages ------------------------------------------------------------------------------------------

    void receive(Rpc rpc, long now) throws IOException {
        try {
            dispatch(rpc, now);
        } catch (LogDamagedException damaged) {
            onDamage(damaged, now);
        }
    }

    private void dispatch(Rpc rpc, long now) throws IOException {
        boolean preVote = (rpc instanceof VoteRequest v && v.preVote()) || (rpc instanceof VoteResponse r && r.preVote());
        if (!preVote && rpc.term() > term) {
            if (rpc instanceof VoteRequest v && !v.transfer() && leaderRecently(now)) {
                return; // a disruptive candidate while our leader is alive: ignored (leader stickiness)
            }
            stepDown(rpc.term(), now);
        }
        switch (rpc) {
            case VoteRequest v -> onVoteRequest(v, now);
            case VoteResponse v -> onVoteResponse(v, now);
            case Append a -> onAppend(a, now);
            case AppendResponse r -> {
                if (leadership != null && r.term() == term) {
                    leadership.onAppendResponse(r, now);
                }
            }
            case InstallSnapshot s -> onInstallSnapshot(s, now);
            case SnapshotResponse r -> {
                if (leadership != null && r.term() == term) {
                    leadership.onSnapshotResponse(r, now);
                }
            }
            case TimeoutNow t -> {
                if (t.term() == term && role == RaftState.FOLLOWER && membership().isVoter(id()) && !repairing) {
                    startElection(now, true);
                }
            }
        }
    }

    private void onVoteRequest(VoteRequest v, long now) throws IOException {
        if (v.preVote()) {
            boolean grant = v.term() > term && logUpToDate(v.lastIndex(), v.lastTerm()) && !leaderRecently(now)
                    && !repairing;
            out.send(v.from(), new VoteResponse(grant ? v.term() : term, id(), grant, true));
            return;
        }
        boolean grant = v.term() == term && (vote.isEmpty() || vote.equals(v.from()))
                && logUpToDate(v.lastIndex(), v.lastTerm()) && !repairing && role != RaftState.LEADER;
        if (grant && vote.isEmpty()) {
            setTerm(term, v.from());
            electionDeadline = now + randomTimeout();
        }
        out.send(v.from(), new VoteResponse(term, id(), grant, false));
    }

    private void onVoteResponse(VoteResponse v, long now) throws IOException {
        if (v.preVote() && !v.granted() && v.term() > term) {
            stepDown(v.term(), now); // a pre-vote refused by a member of a later term
            return;
        }
        if (role != RaftState.CANDIDATE || v.preVote() != preVoting || !v.granted() || !membership().isVoter(v.from())
                || v.term() != (preVoting ? term + 1 : term)) {
            return;
        }
        votes.add(v.from());
        if (votes.size() >= membership().quorum()) {
            if (preVoting) {
                startElection(now, false);
            } else {
                becomeLeader(now);
            }
        }
    }

    private void followLeader(String leader, long now) {
        if (role == RaftState.LEADER) {
            throw new IllegalStateException("two leaders in term " + term + ": " + id() + " and " + leader);
        }
        role = RaftState.FOLLOWER;
        preVoting = false;
        leaderId = leader;
        lastLeaderContact = now;
        electionDeadline = now + randomTimeout();
    }

    private void onAppend(Append a, long now) throws IOException {
        if (a.term() < term) {
            out.send(a.from(), new AppendResponse(term, id(), false, log.lastIndex(), a.seq()));
            return;
        }
        followLeader(a.from(), now);
        leaderCommitSeen = Math.max(leaderCommitSeen, a.commit());
        if (repairing && (repairTarget < 0 || repairTerm != term)) {
            // Each new leader holds every committed entry: its last index at first contact is the target.
            repairTarget = a.leaderLast();
            repairTerm = term;
        }
        long prev = a.prevIndex();
        List<LogEntry> entries = a.entries();
        long base = log.firstIndex() - 1; // covered by our snapshot: committed, so equal to the leader's
        if (prev < base) {
            int skip = (int) Math.min(entries.size(), base - prev);
            entries = entries.subList(skip, entries.size());
            prev += skip;
            if (prev < base) {
                out.send(a.from(), new AppendResponse(term, id(), true, prev, a.seq()));
                return;
            }
        } else if (prev > log.lastIndex()) {
            out.send(a.from(), new AppendResponse(term, id(), false, log.lastIndex(), a.seq()));
            return;
        } else if (log.termAt(prev) != a.prevTerm()) {
            out.send(a.from(), new AppendResponse(term, id(), false, conflictHint(prev), a.seq()));
            return;
        }
        List<LogEntry> fresh = new ArrayList<>();
        for (LogEntry e : entries) {
            if (fresh.isEmpty() && e.index() <= log.lastIndex()) {
                if (log.termAt(e.index()) == e.term()) {
                    continue;
                }
                if (e.index() <= commit) {
                    throw new IllegalStateException(id() + ": leader " + a.from() + " conflicts at committed index "
                            + e.index());
                }
                cutLog(e.index());
            }
            fresh.add(e);
        }
        log.append(fresh);
        for (LogEntry e : fresh) {
            if (e.type() == EntryType.CONFIG) {
                configs.put(e.index(), Membership.decode(e.data()));
            }
        }
        long match = prev + entries.size();
        commit = Math.max(commit, Math.min(a.commit(), match));
        if (repairing && match >= repairTarget) {
            syncLog(); // the repaired entries must be durable before the mark goes
            markRepairing(false);
            LOG.log(Level.INFO, "RAFT group {0} member {1} repaired through index {2}", settings.group(), id(), match);
        }
        afterSync.add(Map.entry(a.from(), new AppendResponse(term, id(), true, match, a.seq())));
    }

    /**
     * Removes {@code from} and later entries. The acknowledged mark goes down first (durably): entries cut on
     * purpose must not look lost on disk if a crash leaves the cut half done.
     */
    private void cutLog(long from) throws IOException {
        if (termStore.markIndex() >= from) {
            termStore.mark(from - 1, log.termAt(from - 1));
        }
        log.truncateFrom(from);
        configs.tailMap(from, true).clear();
    }

    /** The index before the first entry of the term found at {@code prev}: the leader retries from there. */
    private long conflictHint(long prev) {
        long conflictTerm = log.termAt(prev);
        long i = prev;
        while (i > log.firstIndex() && log.termAt(i - 1) == conflictTerm) {
            i--;
        }
        return Math.max(i - 1, commit);
    }

    private void onInstallSnapshot(InstallSnapshot s, long now) throws IOException {
        if (s.term() < term) {
            out.send(s.from(), new SnapshotResponse(term, id(), s.lastIndex(), 0, false));
            return;
        }
        followLeader(s.from(), now);
        if (s.lastIndex() <= log.firstIndex() - 1 || log.termAt(s.lastIndex()) == s.lastTerm()) {
            installing = false;
            out.send(s.from(), new SnapshotResponse(term, id(), s.lastIndex(), s.total(), true));
            return;
        }
        installing = true;
        if (!snapshots.receive(s.offset(), s.chunk())) {
            out.send(s.from(), new SnapshotResponse(term, id(), s.lastIndex(), snapshots.received(), false));
            return;
        }
        if (s.offset() + s.chunk().length < s.total()) {
            out.send(s.from(), new SnapshotResponse(term, id(), s.lastIndex(), snapshots.received(), false));
            return;
        }
        Optional<SnapshotStore.Snapshot> received = snapshots.completeReceive();
        if (received.isEmpty() || received.get().lastIndex() != s.lastIndex()) {
            LOG.log(Level.WARNING, "RAFT group {0} member {1}: snapshot from {2} failed its checks; asking again",
                    settings.group(), id(), s.from());
            out.send(s.from(), new SnapshotResponse(term, id(), s.lastIndex(), 0, false));
            return;
        }
        install(received.get());
        out.send(s.from(), new SnapshotResponse(term, id(), s.lastIndex(), s.total(), true));
    }

    private void install(SnapshotStore.Snapshot s) throws IOException {
        if (log.termAt(s.lastIndex()) != s.lastTerm() && termStore.markIndex() > s.lastIndex()) {
            termStore.mark(s.lastIndex(), s.lastTerm()); // the log is about to be replaced by the (durable) snapshot
        }
        log.compactThrough(s.lastIndex(), s.lastTerm());
        configs.headMap(s.lastIndex(), true).clear();
        configs.tailMap(log.lastIndex() + 1, true).clear();
        snapIndex = s.lastIndex();
        snapTerm = s.lastTerm();
        snapMembers = s.members();
        stateMachine.restore(s.data());
        applied = s.lastIndex();
        commit = Math.max(commit, s.lastIndex());
        installing = false;
        syncLog();
        if (repairing && s.lastIndex() >= repairTarget && repairTarget >= 0) {
            markRepairing(false);
        }
        out.skipped(s.lastIndex());
    }

    // --- after each batch of work --------------------------------------------------------------------------

    /**
     * Sends new entries, syncs the log, then sends the responses that waited for it, advances the commit index,
     * applies what is committed and compacts when due.
     */
    void flush(long now) throws IOException {
        try {
            if (leadership != null) {
                leadership.replicate(now);
            }
            syncLog();
            for (Map.Entry<String, Rpc> pending : afterSync) {
                // An answer from an earlier term may describe entries a later leader has since cut: never send it.
                if (pending.getValue().term() == term) {
                    out.send(pending.getKey(), pending.getValue());
                }
            }
            afterSync.clear();
            if (leadership != null) {
                leadership.advanceCommit();
            }
            applyCommitted(now);
            if (leadership != null) {
                leadership.serveReads();
            }
            maybeSnapshot();
        } catch (LogDamagedException damaged) {
            onDamage(damaged, now);
        }
    }

    /** Syncs the log, then moves the acknowledged mark to its last entry (up, or down after a cut). */
    private void syncLog() throws IOException {
        if (log.dirty()) {
            log.sync();
        }
        if (termStore.markIndex() != log.lastIndex() || termStore.markTerm() != log.lastTerm()) {
            termStore.mark(log.lastIndex(), log.lastTerm());
        }
    }

    private void applyCommitted(long now) throws IOException {
        boolean any = false;
        try {
            any = applyEach(now);
        } finally {
            if (any) {
                stateMachine.applied(); // also after a failure midway: what was applied is settled
            }
        }
    }

    private boolean applyEach(long now) throws IOException {
        boolean any = false;
        while (applied < Math.min(commit, log.lastIndex())) {
            long i = applied + 1;
            LogEntry e = log.entry(i);
            if (e.type() == EntryType.NORMAL) {
                stateMachine.apply(i, e.data());
                any = true;
            }
            applied = i;
            out.applied(i, e.term());
            if (e.type() == EntryType.CONFIG && role == RaftState.LEADER && !membership().find(id()).isPresent()
                    && configs.lastKey() <= i) {
                LOG.log(Level.INFO, "RAFT group {0}: leader {1} removed itself; stepping down", settings.group(), id());
                stepDown(term, now);
            }
        }
        return any;
    }

    private void maybeSnapshot() throws IOException {
        if (applied - snapIndex < settings.snapshotThreshold() || applied < log.firstIndex()) {
            return;
        }
        long at = applied;
        long atTerm = log.termAt(at);
        Map.Entry<Long, Membership> config = configs.floorEntry(at);
        Membership members = config == null ? snapMembers : config.getValue();
        snapshots.save(new SnapshotStore.Snapshot(at, atTerm, members, stateMachine.snapshot()));
        log.compactThrough(at, atTerm);
        configs.headMap(at, true).clear();
        snapIndex = at;
        snapTerm = atTerm;
        snapMembers = members;
    }

    /** A record failed its checksum at run time: cut the log there and wait for a leader's repair. */
    private void onDamage(LogDamagedException damaged, long now) throws IOException {
        LOG.log(Level.ERROR, "RAFT group {0} member {1}: {2}; log cut there, waiting for repair", settings.group(), id(),
                damaged.getMessage());
        if (damaged.index >= log.firstIndex()) {
            cutLog(damaged.index);
        }
        markRepairing(true);
        repairTarget = -1;
        afterSync.clear();
        if (role == RaftState.LEADER) {
            stepDown(term, now);
        }
    }

    SnapshotStore snapshots() {
        return snapshots;
    }

    long snapshotTerm() {
        return snapTerm;
    }

    List<Member> members() {
        return membership().members();
    }

    void close() throws IOException {
        if (leadership != null) {
            leadership.close();
            leadership = null;
        }
        role = RaftState.CLOSED;
        snapshots.abortReceive();
        termStore.close();
        log.close();
    }
}
