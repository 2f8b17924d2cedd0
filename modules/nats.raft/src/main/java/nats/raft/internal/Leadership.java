package nats.raft.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nats.raft.Member;
import nats.raft.PeerInfo;
import nats.raft.RaftException;
import nats.raft.internal.Rpc.Append;
import nats.raft.internal.Rpc.AppendResponse;
import nats.raft.internal.Rpc.InstallSnapshot;
import nats.raft.internal.Rpc.SnapshotResponse;
import nats.raft.internal.Rpc.TimeoutNow;

/**
 * A leader's side of the protocol for one term: each follower's progress, pipelined appends and snapshot
 * streaming, the commit rule (a quorum's match on disk, counting the leader's own synced index, only for entries
 * of this term), quorum checks, read index and leadership transfer. Lives exactly as long as the leadership.
 */
final class Leadership {

    /** Entries sent ahead of a follower's acknowledged match before waiting for it. */
    private static final long MAX_IN_FLIGHT = 4096;

    private static final class Progress {
        long next;
        long match;
        long lastAck;
        long ackedSeq;
        long lastSent = Long.MIN_VALUE / 2;
        long snapshotLastIndex = -1;   // >= 0 while a snapshot is being sent
        long snapshotTerm;
        byte[] snapshotFile;           // held for the whole transfer: a newer snapshot must not restart it
        long snapshotOffset;

        Progress(long next, long now) {
            this.next = next;
            this.lastAck = now; // a grace period: the quorum check starts counting from the election
        }
    }

    private record Read(long id, long seq, long[] index) {
    }

    private final RaftCore core;
    private final RaftLog log;
    private final long term;
    private final Map<String, Progress> peers = new LinkedHashMap<>();
    private final List<Read> reads = new ArrayList<>();
    private long seq;
    private long lastQuorumCheck;
    private String transferTarget;
    private long transferDeadline;

    Leadership(RaftCore core, long now) {
        this.core = core;
        this.log = core.log;
        this.term = core.term();
        this.lastQuorumCheck = now;
        for (Member m : core.membership().members()) {
            if (!m.id().equals(core.id())) {
                peers.put(m.id(), new Progress(log.lastIndex() + 1, now));
            }
        }
    }

    boolean transferring() {
        return transferTarget != null;
    }

    void membersChanged(Membership next) {
        long now = peers.values().stream().mapToLong(p -> p.lastAck).max().orElse(0);
        peers.keySet().removeIf(id -> next.find(id).isEmpty());
        for (Member m : next.members()) {
            if (!m.id().equals(core.id())) {
                peers.computeIfAbsent(m.id(), id -> new Progress(log.lastIndex(), now));
            }
        }
    }

    // --- replication ---------------------------------------------------------------------------------------

    /**
     * Sends what each follower is missing (bounded in flight). Followers at the same point get the very same
     * append, so the outbox encodes it once.
     */
    void replicate(long now) throws IOException {
        Append shared = null;
        for (Map.Entry<String, Progress> e : peers.entrySet()) {
            Progress p = e.getValue();
            if (p.snapshotLastIndex < 0 && p.next <= log.lastIndex() && p.next - p.match <= MAX_IN_FLIGHT) {
                if (shared != null && shared.prevIndex() == p.next - 1) {
                    core.out.send(e.getKey(), shared);
                    p.next = shared.prevIndex() + shared.entries().size() + 1;
                    p.lastSent = now;
                } else {
                    shared = send(e.getKey(), p, now);
                }
            }
        }
    }

    void tick(long now) throws IOException {
        for (Map.Entry<String, Progress> e : peers.entrySet()) {
            Progress p = e.getValue();
            if (now - p.lastSent >= core.settings.heartbeat()) {
                if (p.snapshotLastIndex >= 0) {
                    sendSnapshotChunk(e.getKey(), p, now);
                } else {
                    // Idle, or what was sent was lost: send again from the last acknowledged point.
                    if (now - p.lastAck >= core.settings.heartbeat() * 2) {
                        p.next = Math.min(p.next, p.match + 1);
                    }
                    send(e.getKey(), p, now);
                }
            }
        }
        if (transferTarget != null && now > transferDeadline) {
            transferTarget = null;
        }
        if (now - lastQuorumCheck >= core.settings.electionMax()) {
            lastQuorumCheck = now;
            if (!hasQuorum(now)) {
                core.stepDown(term, now);
            }
        }
    }

    /** Whether a quorum of voters answered within the longest election timeout. */
    boolean hasQuorum(long now) {
        Membership members = core.membership();
        int alive = members.isVoter(core.id()) ? 1 : 0;
        for (String voter : members.voters()) {
            Progress p = peers.get(voter);
            if (p != null && now - p.lastAck < core.settings.electionMax()) {
                alive++;
            }
        }
        return alive >= members.quorum();
    }

    /** Sends {@code peer} what it lacks from its next index on; returns the append, or null if a snapshot went. */
    private Append send(String peer, Progress p, long now) throws IOException {
        long prev = p.next - 1;
        if (prev < log.firstIndex() - 1) {
            p.snapshotLastIndex = core.snapshotIndex();
            p.snapshotTerm = core.snapshotTerm();
            p.snapshotFile = core.snapshots().chunk(0, Integer.MAX_VALUE - 16);
            p.snapshotOffset = 0;
            sendSnapshotChunk(peer, p, now);
            return null;
        }
        List<LogEntry> entries = p.next <= log.lastIndex()
                ? log.entries(p.next, log.lastIndex(), core.settings.maxAppendBytes()) : List.of();
        Append append = new Append(term, core.id(), prev, log.termAt(prev), core.commit, log.lastIndex(), seq, entries);
        core.out.send(peer, append);
        p.next = prev + entries.size() + 1;
        p.lastSent = now;
        return append;
    }

    private void sendSnapshotChunk(String peer, Progress p, long now) {
        int len = (int) Math.min(core.settings.snapshotChunk(), p.snapshotFile.length - p.snapshotOffset);
        byte[] chunk = java.util.Arrays.copyOfRange(p.snapshotFile, (int) p.snapshotOffset, (int) p.snapshotOffset + len);
        core.out.send(peer, new InstallSnapshot(term, core.id(), p.snapshotLastIndex, p.snapshotTerm, p.snapshotOffset,
                p.snapshotFile.length, chunk));
        p.lastSent = now;
    }

    void onAppendResponse(AppendResponse r, long now) throws IOException {
        Progress p = peers.get(r.from());
        if (p == null) {
            return;
        }
        p.lastAck = now;
        p.ackedSeq = Math.max(p.ackedSeq, r.seq());
        if (r.success()) {
            if (r.index() > p.match) {
                p.match = r.index();
            }
            p.next = Math.max(p.next, p.match + 1);
            if (r.from().equals(transferTarget) && p.match == log.lastIndex()) {
                core.out.send(r.from(), new TimeoutNow(term, core.id()));
            }
        } else if (p.snapshotLastIndex < 0) {
            // A follower whose disk lost entries it had acknowledged (repair) holds less than its match: believe
            // it. Lowering a match is always safe (the commit index never goes back).
            p.match = Math.min(p.match, r.index());
            p.next = Math.max(p.match + 1, Math.min(p.next, r.index() + 1));
            send(r.from(), p, now);
        }
    }

    void onSnapshotResponse(SnapshotResponse r, long now) throws IOException {
        Progress p = peers.get(r.from());
        if (p == null) {
            return;
        }
        p.lastAck = now;
        if (r.done()) {
            p.match = Math.max(p.match, r.lastIndex());
            p.next = Math.max(p.next, p.match + 1);
            p.snapshotLastIndex = -1;
            p.snapshotFile = null;
            send(r.from(), p, now);
        } else if (p.snapshotLastIndex == r.lastIndex()) {
            p.snapshotOffset = r.received();
            sendSnapshotChunk(r.from(), p, now);
        }
    }

    /** The commit rule: the highest index a quorum of voters holds on disk, if it is of this term. */
    void advanceCommit() {
        Membership members = core.membership();
        List<String> voters = members.voters();
        long[] matches = new long[voters.size()];
        for (int i = 0; i < matches.length; i++) {
            String voter = voters.get(i);
            Progress p = peers.get(voter);
            matches[i] = voter.equals(core.id()) ? log.syncedIndex() : p == null ? 0 : p.match;
        }
        java.util.Arrays.sort(matches);
        long candidate = matches[matches.length - members.quorum()];
        if (candidate > core.commit && log.termAt(candidate) == term) {
            core.commit = candidate;
        }
    }

    // --- read index ----------------------------------------------------------------------------------------

    void read(long id, long now) throws IOException {
        seq++;
        reads.add(new Read(id, seq, new long[] {-1}));
        for (Map.Entry<String, Progress> e : peers.entrySet()) {
            Progress p = e.getValue();
            if (p.snapshotLastIndex < 0) {
                send(e.getKey(), p, now);
            }
        }
    }

    /** Answers reads whose leadership check passed and whose index is applied. */
    void serveReads() {
        if (reads.isEmpty() || log.termAt(core.commit) != term) {
            return; // the read point is only known once an entry of this term is committed
        }
        Membership members = core.membership();
        for (Iterator<Read> it = reads.iterator(); it.hasNext(); ) {
            Read r = it.next();
            if (r.index[0] < 0) {
                r.index[0] = core.commit;
            }
            int confirmed = members.isVoter(core.id()) ? 1 : 0;
            for (String voter : members.voters()) {
                Progress p = peers.get(voter);
                if (p != null && p.ackedSeq >= r.seq) {
                    confirmed++;
                }
            }
            if (confirmed >= members.quorum() && core.applied >= r.index[0]) {
                core.out.readReady(r.id, r.index[0]);
                it.remove();
            }
        }
    }

    // --- transfer ------------------------------------------------------------------------------------------

    void transfer(String target, long now) throws IOException {
        if (target.equals(core.id()) || !core.membership().isVoter(target)) {
            throw new RaftException("cannot transfer leadership to " + target + ": not another voter");
        }
        transferTarget = target;
        transferDeadline = now + core.settings.electionMax();
        Progress p = peers.get(target);
        if (p.match == log.lastIndex()) {
            core.out.send(target, new TimeoutNow(term, core.id()));
        } else {
            send(target, p, now);
        }
    }

    /** The voter that answered recently with the highest match, the best next leader; empty if none. */
    String bestSuccessor(long now) {
        String best = "";
        long bestMatch = -1;
        for (Map.Entry<String, Progress> e : peers.entrySet()) {
            Progress p = e.getValue();
            if (core.membership().isVoter(e.getKey()) && now - p.lastAck < core.settings.electionMin()
                    && p.match > bestMatch) {
                best = e.getKey();
                bestMatch = p.match;
            }
        }
        return best;
    }

    List<PeerInfo> peerInfo(long now) {
        List<PeerInfo> out = new ArrayList<>();
        for (Map.Entry<String, Progress> e : peers.entrySet()) {
            Progress p = e.getValue();
            long lag = Math.max(0, log.lastIndex() - p.match);
            boolean recent = now - p.lastAck < core.settings.electionMin();
            out.add(new PeerInfo(e.getKey(), core.membership().isVoter(e.getKey()), p.match, lag, now - p.lastAck,
                    recent && p.match >= core.commit));
        }
        return out;
    }

    void close() {
        for (Read r : reads) {
            core.out.readFailed(r.id, new RaftException("leadership lost before the read was confirmed"));
        }
        reads.clear();
    }
}
