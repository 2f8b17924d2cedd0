package nats.raft.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log file format: round trips, segment rolls, compaction, and every kind of damage found at open and on read. */
class RaftLogTest {

    private static final long SEGMENT = 4096;

    @TempDir
    Path dir;

    private static LogEntry entry(long index, long term) {
        return new LogEntry(index, term, EntryType.NORMAL, ("entry-" + index + "-" + "x".repeat((int) (index % 50)))
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void fill(RaftLog log, long from, long to, long term) throws IOException {
        List<LogEntry> batch = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            batch.add(entry(i, term));
            if (batch.size() == 7) {
                log.append(batch);
                batch = new ArrayList<>();
            }
        }
        log.append(batch);
        log.sync();
    }

    @Test
    void entriesSurviveReopenAcrossSegments() throws IOException {
        try (RaftLog log = RaftLog.open(new FileDisk(dir), SEGMENT)) {
            fill(log, 1, 300, 1);
            fill(log, 301, 400, 2);
        }
        assertTrue(Files.list(dir).count() > 3, "expected several segment files of 4 KiB");
        try (RaftLog log = RaftLog.open(new FileDisk(dir), SEGMENT)) {
            assertEquals(RaftLog.Damage.NONE, log.recovery().damage(), "expected an intact log");
            assertEquals(400, log.lastIndex(), "expected every entry back");
            assertEquals(2, log.lastTerm(), "expected the last term");
            for (long i = 1; i <= 400; i++) {
                assertEquals(entry(i, i <= 300 ? 1 : 2), log.entry(i), "expected entry " + i + " as written");
            }
        }
    }

    @Test
    void tornLastRecordIsCutAndReportedAsTorn() throws IOException {
        SimDisk disk = new SimDisk();
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            fill(log, 1, 10, 1);
        }
        String seg = LogFormat.segmentName(1);
        byte[] b = disk.durable(seg);
        int end = offsetOf(b, 10) + LogFormat.RECORD_OVERHEAD + entry(10, 1).data().length; // zeros follow
        disk.setDurable(seg, Arrays.copyOf(b, end - 5)); // the last record cut short
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            assertEquals(RaftLog.Damage.TORN_TAIL, log.recovery().damage(), "expected a torn tail: " + log.recovery());
            assertEquals(9, log.lastIndex(), "expected the cut record dropped, the rest kept");
            fill(log, 10, 12, 1);
        }
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            assertEquals(RaftLog.Damage.NONE, log.recovery().damage(), "expected the repaired file intact");
            assertEquals(12, log.lastIndex(), "expected appends after the cut");
        }
    }

    @Test
    void zerosAfterTheLastRecordAreTheEnd() throws IOException {
        SimDisk disk = new SimDisk();
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            fill(log, 1, 5, 1);
        }
        String seg = LogFormat.segmentName(1);
        byte[] b = disk.durable(seg);
        disk.setDurable(seg, Arrays.copyOf(b, b.length + 300)); // grown, never written (or written ahead)
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            assertEquals(RaftLog.Damage.NONE, log.recovery().damage(), "expected zeros read as the end");
            assertEquals(5, log.lastIndex(), "expected all five entries");
        }
    }

    @Test
    void zerosAreWrittenAheadOfTheLastSegmentOnlyAndAppendsGoOverThem() throws IOException {
        long segment = 256 << 10;
        SimDisk disk = new SimDisk();
        try (RaftLog log = RaftLog.open(disk, segment)) {
            for (long i = 1; i <= 3000; i++) {
                log.append(List.of(new LogEntry(i, 1, EntryType.NORMAL, new byte[100])));
                if (i % 50 == 0) {
                    log.sync();
                }
            }
            log.sync();
        }
        List<String> names = disk.list().stream().filter(LogFormat::isSegmentName).toList();
        assertTrue(names.size() > 1, "expected the log to roll: " + names);
        for (String name : names.subList(0, names.size() - 1)) {
            int records = disk.durable(name).length - LogFormat.SEGMENT_HEADER;
            assertEquals(0, records % (LogFormat.RECORD_OVERHEAD + 100), name + ": a rolled segment must end with its last record");
        }
        byte[] last = disk.durable(names.getLast());
        assertEquals(0, last[last.length - 1], "expected zeros written ahead of the last segment's records");
        try (RaftLog log = RaftLog.open(disk, segment)) {
            assertEquals(RaftLog.Damage.NONE, log.recovery().damage(), "expected a clean end");
            assertEquals(3000, log.lastIndex(), "expected every entry");
            log.append(List.of(new LogEntry(3001, 2, EntryType.NORMAL, new byte[] {7})));
            log.sync();
        }
        try (RaftLog log = RaftLog.open(disk, segment)) {
            assertEquals(RaftLog.Damage.NONE, log.recovery().damage(), "expected a clean end after appending over zeros");
            assertEquals(3001, log.lastIndex(), "expected the entry appended over the zeros");
            assertEquals(7, log.entry(3001).data()[0], "expected the entry's data");
        }
    }

    @Test
    void flippedByteInTheMiddleIsDamageAndNothingAfterIsServed() throws IOException {
        SimDisk disk = new SimDisk();
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            fill(log, 1, 20, 1);
        }
        String seg = LogFormat.segmentName(1);
        byte[] b = disk.durable(seg);
        int recordFive = offsetOf(b, 5);
        b[recordFive + LogFormat.RECORD_HEADER + 2] ^= 0x10; // inside entry 5's data
        disk.setDurable(seg, b);
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            assertEquals(RaftLog.Damage.DAMAGED, log.recovery().damage(), "expected damage (intact records follow)");
            assertEquals(4, log.lastIndex(), "expected the log cut before the damaged entry 5");
            assertThrows(IllegalArgumentException.class, () -> log.entry(5), "expected entry 5 gone");
        }
    }

    @Test
    void damagedHeaderIsDamage() throws IOException {
        SimDisk disk = new SimDisk();
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            fill(log, 1, 20, 3);
        }
        String seg = LogFormat.segmentName(1);
        byte[] b = disk.durable(seg);
        b[offsetOf(b, 11) + 4] ^= 0x01; // entry 11's length: its header checksum no longer holds
        disk.setDurable(seg, b);
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            assertEquals(RaftLog.Damage.DAMAGED, log.recovery().damage(), "expected damage: " + log.recovery());
            assertEquals(10, log.lastIndex(), "expected entries 1..10 kept");
        }
    }

    @Test
    void cutSegmentFollowedByAnotherIsDamageAndLaterSegmentsGo() throws IOException {
        SimDisk disk = new SimDisk();
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            fill(log, 1, 300, 1);
        }
        List<String> segments = disk.list().stream().filter(LogFormat::isSegmentName).toList();
        assertTrue(segments.size() >= 3, "expected at least three segments, got " + segments);
        String first = segments.getFirst();
        byte[] b = disk.durable(first);
        disk.setDurable(first, Arrays.copyOf(b, b.length / 2));
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            assertEquals(RaftLog.Damage.DAMAGED, log.recovery().damage(), "expected damage: " + log.recovery());
            assertTrue(log.lastIndex() < LogFormat.segmentFirstIndex(segments.get(1)), "expected the log cut in the first segment");
            assertEquals(1, disk.list().stream().filter(LogFormat::isSegmentName).count(), "expected later segments deleted");
        }
    }

    @Test
    void damageAfterOpenIsFoundOnRead() throws IOException {
        SimDisk disk = new SimDisk();
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            fill(log, 1, 10, 1);
        }
        // Reopened, so the entries are read from the file (those appended by this process are served from memory).
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            String seg = LogFormat.segmentName(1);
            byte[] b = disk.durable(seg);
            b[offsetOf(b, 7) + LogFormat.RECORD_HEADER] ^= 0x40;
            try (Disk.File f = disk.open(seg)) {
                f.write(0, b, 0, b.length);
            }
            LogDamagedException e = assertThrows(LogDamagedException.class, () -> log.entry(7),
                    "expected a checksum failure on read");
            assertEquals(7, e.index, "expected the damaged index named");
            assertEquals(entry(6, 1), log.entry(6), "expected entry 6 intact");
        }
    }

    @Test
    void truncateCompactAndReopen() throws IOException {
        SimDisk disk = new SimDisk();
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            fill(log, 1, 200, 1);
            log.truncateFrom(150);
            fill(log, 150, 260, 2);
            log.compactThrough(180, 2);
            assertEquals(181, log.firstIndex(), "expected entries through 180 forgotten");
            assertEquals(2, log.termAt(180), "expected the term at the compaction point kept");
            assertEquals(entry(181, 2), log.entry(181), "expected entry 181 readable after compaction");
        }
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            log.compactThrough(180, 2); // what the core does with its snapshot at open
            assertTrue(log.firstIndex() <= 181, "expected the log to start at or before 181, got " + log.firstIndex());
            assertEquals(260, log.lastIndex(), "expected the log through 260");
            assertEquals(entry(150, 2), log.firstIndex() <= 150 ? log.entry(150) : entry(150, 2),
                    "expected the rewritten suffix");
            assertEquals(entry(260, 2), log.entry(260), "expected the last entry");
        }
    }

    @Test
    void resetStartsAfterTheSnapshot() throws IOException {
        SimDisk disk = new SimDisk();
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            fill(log, 1, 30, 1);
            log.compactThrough(500, 4); // a snapshot beyond the log: start over after it
            assertEquals(501, log.firstIndex(), "expected the log to restart after the snapshot");
            assertEquals(4, log.lastTerm(), "expected the snapshot's term as the last term");
            fill(log, 501, 510, 5);
        }
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            assertEquals(501, log.firstIndex(), "expected the first index from the segment name");
            assertEquals(510, log.lastIndex(), "expected the appended entries");
        }
    }

    @Test
    void termStoreFallsBackToTheOtherSlot() throws IOException {
        SimDisk disk = new SimDisk();
        TermStore store = new TermStore(disk);
        store.save(3, "n2");
        store.mark(40, 3);
        store.save(4, "");
        // the newest slot is damaged: the previous one must be read
        String newest = "term." + (3 % 2 == 0 ? 0 : 1);
        byte[] b = disk.durable(newest);
        b[14] ^= 1;
        disk.setDurable(newest, b);
        TermStore reopened = new TermStore(disk);
        assertEquals(3, reopened.term(), "expected the older slot's term");
        assertEquals("n2", reopened.vote(), "expected the older slot's vote");
        assertEquals(40, reopened.markIndex(), "expected the older slot's mark");
        byte[] other = disk.durable("term.0");
        other[14] ^= 1;
        disk.setDurable("term.0", other);
        assertTrue(new TermStore(disk).damaged(), "expected both slots damaged to be reported");
    }

    @Test
    void snapshotRoundTripAndDamage() throws IOException {
        SimDisk disk = new SimDisk();
        SnapshotStore store = new SnapshotStore(disk);
        Membership members = new Membership(List.of(nats.raft.Member.voter("a"), nats.raft.Member.observer("b")));
        store.save(new SnapshotStore.Snapshot(77, 5, members, new byte[] {1, 2, 3}));
        SnapshotStore.Snapshot back = store.load().orElseThrow();
        assertEquals(77, back.lastIndex(), "expected the last index");
        assertEquals(members, back.members(), "expected the members");
        assertArrayEquals(new byte[] {1, 2, 3}, back.data(), "expected the data");
        byte[] b = disk.durable(SnapshotStore.FILE);
        b[b.length - 6] ^= 1;
        disk.setDurable(SnapshotStore.FILE, b);
        assertTrue(store.load().isEmpty(), "expected a damaged snapshot refused");
        assertTrue(store.damaged(), "expected the damage reported");
    }

    /** Offset of the record of {@code index} in a segment that starts at index 1. */
    private static int offsetOf(byte[] segment, long index) {
        int at = LogFormat.SEGMENT_HEADER;
        for (long i = 1; i < index; i++) {
            at += LogFormat.RECORD_OVERHEAD + Bytes.getInt(segment, at + 4);
        }
        return at;
    }
}
