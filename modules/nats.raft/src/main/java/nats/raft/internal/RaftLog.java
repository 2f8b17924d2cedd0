package nats.raft.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable RAFT log: segment files of checksummed records (see {@link LogFormat}), an in-memory index of
 * terms and positions, appends encoded into a write buffer and written with one write and made durable by
 * {@link #sync()} (a leader appends each proposal on its own; a round of them costs one write, not one each).
 * Opening it validates every record; damage is cut away (never returned) and reported in {@link #recovery()}.
 * Single-threaded.
 */
final class RaftLog implements AutoCloseable {

    /** What opening the log found. */
    enum Damage {
        /** Every record was intact. */
        NONE,
        /** The end of the last segment was cut or unreadable: an interrupted write, never acknowledged. */
        TORN_TAIL,
        /** Unreadable records with intact records after them: the disk lost data that may have been acknowledged. */
        DAMAGED
    }

    record Recovery(Damage damage, String detail) {
    }

    private static final class Segment {
        final long firstIndex;
        final String name;
        final Disk.File file;
        long size;
        long zeroedTo; // the file's length: zeros written ahead of the records (see writeZerosAhead)

        Segment(long firstIndex, String name, Disk.File file, long size) {
            this.firstIndex = firstIndex;
            this.name = name;
            this.file = file;
            this.size = size;
            this.zeroedTo = size;
        }
    }

    private final Disk disk;
    private final long segmentBytes;
    private final List<Segment> segments = new ArrayList<>();
    private final List<Segment> unsynced = new ArrayList<>();
    private LogIndex index = new LogIndex(1);
    private long prevTerm;      // term of first() - 1 (the snapshot point), 0 at the start
    private long synced;        // highest index known on disk
    private Recovery recovery = new Recovery(Damage.NONE, "");

    // The newest entries appended by this process, served to followers without reading the disk back.
    private static final int RECENT_SLOTS = 8192;
    private static final long RECENT_BYTES = 8L << 20;
    private final LogEntry[] recent = new LogEntry[RECENT_SLOTS];
    private long recentFirst = Long.MAX_VALUE;
    private long recentBytes;

    // Records appended but not yet written: they belong to the last segment, from file position pendingAt.
    private static final int BUFFER_KEPT = 1 << 20;
    private byte[] pending = new byte[64 << 10];
    private int pendingLength;
    private long pendingAt;

    // Zeros written ahead of the last segment's records, so that a sync overwrites allocated, already sized
    // space: a write that grows the file makes fdatasync commit the file system's journal (on ext4 about twice
    // the time of a data-only sync). Chunks double from 64 KiB to 1 MiB; only the round that writes them pays.
    // Recovery reads zeros after the last record of the last segment as its end; a rolled segment is cut back.
    static final int FIRST_ZEROS = 64 << 10;
    static final int MAX_ZEROS = 1 << 20;
    private static final byte[] ZEROS = new byte[256 << 10];

    private RaftLog(Disk disk, long segmentBytes) {
        this.disk = disk;
        this.segmentBytes = segmentBytes;
    }

    static RaftLog open(Disk disk, long segmentBytes) throws IOException {
        RaftLog log = new RaftLog(disk, segmentBytes);
        log.recover();
        return log;
    }

    Recovery recovery() {
        return recovery;
    }

    long firstIndex() {
        return index.first();
    }

    long lastIndex() {
        return index.last();
    }

    long lastTerm() {
        return termAt(lastIndex());
    }

    /** The bytes of the log's segment files, with the records appended but not written yet. */
    long bytes() {
        long bytes = pendingLength;
        for (Segment segment : segments) {
            bytes += segment.size;
        }
        return bytes;
    }

    long syncedIndex() {
        return Math.min(synced, lastIndex());
    }

    boolean dirty() {
        return !unsynced.isEmpty();
    }

    /** The term of {@code i}, {@code prevTerm} for {@code first() - 1}, or -1 when not held. */
    long termAt(long i) {
        if (index.holds(i)) {
            return index.term(i);
        }
        return i == index.first() - 1 ? prevTerm : -1;
    }

    EntryType typeAt(long i) {
        return EntryType.of(index.type(i));
    }

    /** Reads entry {@code i}, checking both checksums; never returns a damaged entry. */
    LogEntry entry(long i) throws IOException {
        if (!index.holds(i)) {
            throw new IllegalArgumentException("index " + i + " not in log [" + firstIndex() + ", " + lastIndex() + "]");
        }
        if (i >= recentFirst) {
            return recent[(int) (i % RECENT_SLOTS)];
        }
        writePending(); // the entry may still be in the write buffer
        Segment seg = segments.get(index.segment(i));
        long offset = index.offset(i);
        byte[] head = new byte[LogFormat.RECORD_HEADER];
        if (seg.file.read(offset, head, 0, head.length) < head.length) {
            throw new LogDamagedException(i, "cut short in " + seg.name + " at " + offset);
        }
        int n = LogFormat.checkHeader(head, 0);
        if (n < 0) {
            throw new LogDamagedException(i, "header checksum failed in " + seg.name + " at " + offset);
        }
        byte[] rec = new byte[LogFormat.RECORD_OVERHEAD + n];
        if (seg.file.read(offset, rec, 0, rec.length) < rec.length || !LogFormat.checkTrailer(rec, 0, n)) {
            throw new LogDamagedException(i, "checksum failed in " + seg.name + " at " + offset);
        }
        LogEntry e = LogFormat.readEntry(rec, 0, n);
        if (e.index() != i || e.term() != index.term(i)) {
            throw new LogDamagedException(i, "record holds " + e.index() + "@" + e.term() + " in " + seg.name);
        }
        return e;
    }

    /** Entries from {@code from} through at most {@code to}, stopping once {@code maxBytes} of data is reached (at least one). */
    List<LogEntry> entries(long from, long to, int maxBytes) throws IOException {
        List<LogEntry> out = new ArrayList<>();
        int bytes = 0;
        for (long i = from; i <= Math.min(to, lastIndex()) && (out.isEmpty() || bytes < maxBytes); i++) {
            LogEntry e = entry(i);
            bytes += e.data().length + 16;
            out.add(e);
        }
        return out;
    }

    /** Appends entries that follow the last index; written by the next {@link #sync()} (or earlier), durable after it. */
    void append(List<LogEntry> entries) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        Segment seg = active();
        if (seg.size >= segmentBytes) {
            seg = roll();
        }
        int total = 0;
        for (LogEntry e : entries) {
            total += LogFormat.RECORD_OVERHEAD + e.data().length;
        }
        if (pendingLength == 0) {
            pendingAt = seg.size;
        }
        if (pending.length - pendingLength < total) {
            pending = java.util.Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + total));
        }
        int ordinal = segments.size() - 1;
        long expected = lastIndex() + 1;
        for (LogEntry e : entries) {
            if (e.index() != expected++ || e.term() < lastTerm()) {
                throw new IllegalStateException("append of " + e + " after " + lastIndex() + "@" + lastTerm());
            }
            int start = pendingLength;
            pendingLength = LogFormat.putRecord(pending, pendingLength, e);
            index.add(e.term(), (byte) e.type().code, ordinal, pendingAt + start);
            seg.size += pendingLength - start;
        }
        markUnsynced(seg);
        remember(entries);
    }

    /** Writes the buffered records to the last segment (they are durable only after a sync). */
    private void writePending() throws IOException {
        if (pendingLength == 0) {
            return;
        }
        Segment seg = segments.getLast();
        seg.file.write(pendingAt, pending, 0, pendingLength);
        pendingLength = 0;
        if (pending.length > BUFFER_KEPT) {
            pending = new byte[64 << 10]; // a large batch passed: do not keep its buffer
        }
        writeZerosAhead(seg);
    }

    /**
     * Extends the segment with zeros once its records come within a chunk of its end, up to the segment size
     * (written before the sync that follows, which then commits the new length once for many rounds).
     */
    private void writeZerosAhead(Segment seg) throws IOException {
        long from = Math.max(seg.zeroedTo, seg.size);
        if (seg.zeroedTo - seg.size >= FIRST_ZEROS / 2 || from >= segmentBytes) {
            seg.zeroedTo = from;
            return;
        }
        long to = Math.min(segmentBytes, from + Math.clamp(from, FIRST_ZEROS, MAX_ZEROS));
        for (long at = from; at < to; at += ZEROS.length) {
            seg.file.write(at, ZEROS, 0, (int) Math.min(ZEROS.length, to - at));
        }
        seg.zeroedTo = to;
    }

    /** Cuts the zeros written ahead of a segment's records (a segment that is no longer the last). */
    private static boolean trimZeros(Segment seg) throws IOException {
        if (seg.zeroedTo <= seg.size) {
            return false;
        }
        seg.file.truncate(seg.size);
        seg.zeroedTo = seg.size;
        return true;
    }

    /** Drops buffered records that are about to be cut or deleted anyway. */
    private void dropPending() {
        pendingLength = 0;
    }

    private void remember(List<LogEntry> entries) {
        if (recentFirst == Long.MAX_VALUE) {
            recentFirst = entries.getFirst().index();
        }
        for (LogEntry e : entries) {
            if (e.index() - recentFirst >= RECENT_SLOTS) {
                forgetOldest();
            }
            recent[(int) (e.index() % RECENT_SLOTS)] = e;
            recentBytes += e.data().length;
        }
        while (recentBytes > RECENT_BYTES && recentFirst <= lastIndex()) {
            forgetOldest();
        }
    }

    private void forgetOldest() {
        int slot = (int) (recentFirst % RECENT_SLOTS);
        recentBytes -= recent[slot].data().length;
        recent[slot] = null;
        recentFirst++;
    }

    private void forgetRecent() {
        java.util.Arrays.fill(recent, null);
        recentFirst = Long.MAX_VALUE;
        recentBytes = 0;
    }

    /** Makes every append and truncation durable. */
    void sync() throws IOException {
        writePending();
        for (Segment seg : unsynced) {
            seg.file.sync();
        }
        unsynced.clear();
        synced = lastIndex();
    }

    /** Removes {@code from} and every later entry (a follower's conflicting suffix). */
    void truncateFrom(long from) throws IOException {
        if (from > lastIndex()) {
            return;
        }
        if (from < firstIndex()) {
            throw new IllegalArgumentException("cannot truncate from " + from + " below the first index " + firstIndex());
        }
        forgetRecent();
        writePending(); // simplest to cut on disk what was buffered too
        int ordinal = index.segment(from);
        long offset = index.offset(from);
        while (segments.size() > ordinal + 1) {
            Segment last = segments.removeLast();
            unsynced.remove(last);
            last.file.close();
            disk.delete(last.name);
        }
        Segment seg = segments.get(ordinal);
        seg.file.truncate(offset);
        seg.size = offset;
        seg.zeroedTo = offset;
        markUnsynced(seg);
        index.truncateFrom(from);
        synced = Math.min(synced, from - 1);
    }

    /**
     * Forgets entries through {@code through}, which a snapshot now covers; deletes segments holding nothing
     * later. If the log does not hold {@code through} with {@code term}, it is emptied and restarts after it.
     */
    void compactThrough(long through, long term) throws IOException {
        if (through < firstIndex() - 1) {
            return;
        }
        if (through == firstIndex() - 1) {
            prevTerm = term; // reopened after an earlier compaction: the log starts right after the snapshot
            return;
        }
        if (termAt(through) != term || through >= lastIndex()) {
            resetAfter(through, term);
            return;
        }
        forgetRecent();
        writePending();
        index.dropThrough(through);
        prevTerm = term;
        int removable = 0;
        while (removable < segments.size() - 1 && segments.get(removable + 1).firstIndex <= through + 1) {
            removable++;
        }
        for (int i = 0; i < removable; i++) {
            Segment seg = segments.removeFirst();
            unsynced.remove(seg);
            seg.file.close();
            disk.delete(seg.name);
        }
        if (removable > 0) {
            index.shiftSegments(removable);
        }
    }

    /** Deletes every segment; the next entry appended is {@code through + 1}, after a snapshot at {@code through}@{@code term}. */
    void resetAfter(long through, long term) throws IOException {
        forgetRecent();
        dropPending();
        for (Segment seg : segments) {
            seg.file.close();
            disk.delete(seg.name);
        }
        segments.clear();
        unsynced.clear();
        index.reset(through + 1);
        prevTerm = term;
        synced = through;
        newSegment(through + 1);
    }

    @Override
    public void close() throws IOException {
        writePending();
        for (Segment seg : segments) {
            seg.file.close();
        }
        segments.clear();
    }

    private Segment active() throws IOException {
        return segments.isEmpty() ? newSegment(lastIndex() + 1) : segments.getLast();
    }

    private Segment roll() throws IOException {
        Segment old = segments.getLast();
        writePending();
        boolean trimmed = trimZeros(old); // only the last segment may end in zeros
        if (unsynced.remove(old) || trimmed) {
            old.file.sync();
        }
        return newSegment(lastIndex() + 1);
    }

    private Segment newSegment(long firstIndex) throws IOException {
        String name = LogFormat.segmentName(firstIndex);
        Disk.File file = disk.open(name);
        file.truncate(0);
        byte[] header = LogFormat.segmentHeader(firstIndex);
        file.write(0, header, 0, header.length);
        file.sync();
        Segment seg = new Segment(firstIndex, name, file, header.length);
        segments.add(seg);
        return seg;
    }

    private void markUnsynced(Segment seg) {
        if (!unsynced.contains(seg)) {
            unsynced.add(seg);
        }
    }

    // --- recovery ----------------------------------------------------------------------------------------

    private void recover() throws IOException {
        List<String> names = disk.list().stream().filter(LogFormat::isSegmentName).toList();
        SegmentScan scan = null;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Disk.File file = disk.open(name);
            if (scan != null && scan.damagedAt >= 0) {
                file.close();
                disk.delete(name);
                continue;
            }
            byte[] content = readAll(file);
            long first = content.length >= LogFormat.SEGMENT_HEADER ? LogFormat.checkSegmentHeader(content) : -1;
            if (i == 0) {
                index = new LogIndex(Math.max(1, first));
            }
            if (first < 0 || first != index.last() + 1 || first != LogFormat.segmentFirstIndex(name)) {
                boolean later = i < names.size() - 1;
                report(later, name + ": bad segment header or index gap (first " + first + ", expected "
                        + (index.last() + 1) + ")");
                file.close();
                disk.delete(name);
                scan = new SegmentScan(0);
                continue;
            }
            segments.add(new Segment(first, name, file, content.length));
            scan = scanRecords(content, segments.size() - 1, name);
            if (scan.damagedAt >= 0 && i == names.size() - 1 && zerosFrom(content, scan.damagedAt)) {
                // Zeros written ahead of the records (or a write that never reached the disk): the log's end.
                segments.getLast().size = scan.damagedAt;
                scan = new SegmentScan(-1);
            }
            if (scan.damagedAt >= 0) {
                boolean later = i < names.size() - 1 || hasIntactRecordAfter(content, scan.damagedAt + 1);
                report(later, name + ": unreadable record at offset " + scan.damagedAt + " after index " + index.last());
                file.truncate(scan.damagedAt);
                file.sync();
                segments.getLast().size = scan.damagedAt;
                segments.getLast().zeroedTo = scan.damagedAt;
            }
        }
        synced = index.last();
        prevTerm = 0;
    }

    private record SegmentScan(int damagedAt) {
    }

    private SegmentScan scanRecords(byte[] b, int ordinal, String name) {
        int at = LogFormat.SEGMENT_HEADER;
        while (at < b.length) {
            if (b.length - at < LogFormat.RECORD_OVERHEAD) {
                return new SegmentScan(at);
            }
            int n = LogFormat.checkHeader(b, at);
            if (n < 0 || b.length - at < LogFormat.RECORD_OVERHEAD + n || !LogFormat.checkTrailer(b, at, n)) {
                return new SegmentScan(at);
            }
            long idx = Bytes.getLong(b, at + 8);
            long term = Bytes.getLong(b, at + 16);
            long lastTerm = index.last() >= index.first() ? index.term(index.last()) : 0;
            if (idx != index.last() + 1 || term < lastTerm) {
                return new SegmentScan(at);
            }
            index.add(term, b[at + 1], ordinal, at);
            at += LogFormat.RECORD_OVERHEAD + n;
        }
        return new SegmentScan(-1);
    }

    private static boolean zerosFrom(byte[] b, int from) {
        for (int at = from; at < b.length; at++) {
            if (b[at] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether an intact record starts anywhere after {@code from}: then the damage is not a torn last write. */
    private static boolean hasIntactRecordAfter(byte[] b, int from) {
        for (int at = from; at + LogFormat.RECORD_OVERHEAD <= b.length; at++) {
            if (b[at] == LogFormat.RECORD_MAGIC) {
                int n = LogFormat.checkHeader(b, at);
                if (n >= 0 && at + LogFormat.RECORD_OVERHEAD + n <= b.length && LogFormat.checkTrailer(b, at, n)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void report(boolean intactAfter, String detail) {
        Damage kind = intactAfter ? Damage.DAMAGED : Damage.TORN_TAIL;
        if (recovery.damage() != Damage.DAMAGED) {
            recovery = new Recovery(kind, detail);
        }
    }

    private static byte[] readAll(Disk.File file) throws IOException {
        long size = file.size();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException("log segment of " + size + " bytes is too large");
        }
        byte[] b = new byte[(int) size];
        int n = file.read(0, b, 0, b.length);
        return n == b.length ? b : java.util.Arrays.copyOf(b, n);
    }
}
