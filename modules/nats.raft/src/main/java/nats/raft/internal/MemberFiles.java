package nats.raft.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Opens a member's files (log, term/vote/mark, snapshot) and decides from what it finds whether the member lost
 * data it may have acknowledged, in which case it must be repaired by a leader before it votes (docs/raft.md,
 * "Damage and repair"). The log comes back reconciled with the snapshot: it starts right after it.
 */
final class MemberFiles {

    private static final System.Logger LOG = System.getLogger(RaftCore.class.getName());

    /** The durable mark of a member under repair: this file exists while it must not vote. */
    static final String REPAIR_MARK = "repairing";

    record Opened(RaftLog log, TermStore terms, SnapshotStore snapshots, Optional<SnapshotStore.Snapshot> snapshot,
                  boolean repairing) {
    }

    private MemberFiles() {
    }

    static Opened open(RaftCore.Settings settings, Disk disk) throws IOException {
        String who = "RAFT group " + settings.group() + " member " + settings.id();
        TermStore terms = new TermStore(disk);
        SnapshotStore snapshots = new SnapshotStore(disk);
        RaftLog log = RaftLog.open(disk, settings.segmentBytes());
        RaftLog.Recovery found = log.recovery();
        if (found.damage() != RaftLog.Damage.NONE) {
            LOG.log(found.damage() == RaftLog.Damage.DAMAGED ? Level.ERROR : Level.WARNING,
                    "{0}: log {1}, cut at index {2}: {3}", who,
                    found.damage() == RaftLog.Damage.DAMAGED ? "damaged" : "ends in a torn write", log.lastIndex(),
                    found.detail());
        }
        // A member that crashes again before its repair finished must remember it: the cut is already durable.
        boolean repairing = disk.exists(REPAIR_MARK) || found.damage() == RaftLog.Damage.DAMAGED || terms.damaged();
        Optional<SnapshotStore.Snapshot> snapshot = snapshots.load();
        long base = snapshot.map(SnapshotStore.Snapshot::lastIndex).orElse(0L);
        // The log as found must reach the mark (the last entry synced, so maybe acknowledged), unless the
        // snapshot covers it. A mark is lowered before any deliberate cut, so falling short means the disk lost it.
        long mark = terms.markIndex();
        if (!repairing && mark > base && (mark > log.lastIndex()
                || (mark >= log.firstIndex() && log.termAt(mark) != terms.markTerm()))) {
            LOG.log(Level.ERROR, "{0}: the log holds entries through {1} but had synced through {2}@{3}:"
                    + " acknowledged entries were lost on disk", who, log.lastIndex(), mark, terms.markTerm());
            repairing = true;
        }
        if (log.firstIndex() > base + 1 || (snapshot.isEmpty() && snapshots.damaged())) {
            LOG.log(Level.ERROR, "{0}: the log starts at {1} but the snapshot ({2}) ends at {3}; the log is dropped"
                    + " until a leader sends a snapshot", who, log.firstIndex(),
                    snapshots.damaged() ? "damaged" : snapshot.isEmpty() ? "missing" : "intact", base);
            repairing = true;
            log.resetAfter(base, snapshot.map(SnapshotStore.Snapshot::lastTerm).orElse(0L));
        }
        if (snapshot.isPresent()) {
            log.compactThrough(snapshot.get().lastIndex(), snapshot.get().lastTerm());
        }
        if (repairing) {
            markRepairing(disk, true);
            LOG.log(Level.WARNING, "{0} will not vote until a leader has repaired it", who);
        }
        return new Opened(log, terms, snapshots, snapshot, repairing);
    }

    static void markRepairing(Disk disk, boolean on) throws IOException {
        if (on && !disk.exists(REPAIR_MARK)) {
            disk.open(REPAIR_MARK).close();
        } else if (!on && disk.exists(REPAIR_MARK)) {
            disk.delete(REPAIR_MARK);
        }
    }
}
