package nats.raft.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The log's write buffer: a leader appends each proposal on its own, and a round of them must cost one write (not
 * one per entry), while reads, cuts, segment rolls and crashes see exactly what an unbuffered log would.
 */
class LogWriteBufferTest {

    private static final long SEGMENT = 4096;

    /** Counts the writes reaching the disk. */
    private static final class CountingDisk implements Disk {
        final SimDisk disk = new SimDisk();
        int writes;

        @Override
        public List<String> list() {
            return disk.list();
        }

        @Override
        public boolean exists(String name) {
            return disk.exists(name);
        }

        @Override
        public File open(String name) {
            File f = disk.open(name);
            return new File() {
                @Override
                public long size() throws IOException {
                    return f.size();
                }

                @Override
                public int read(long position, byte[] buffer, int offset, int len) throws IOException {
                    return f.read(position, buffer, offset, len);
                }

                @Override
                public void write(long position, byte[] buffer, int offset, int len) throws IOException {
                    writes++;
                    f.write(position, buffer, offset, len);
                }

                @Override
                public void truncate(long size) throws IOException {
                    f.truncate(size);
                }

                @Override
                public void sync() throws IOException {
                    f.sync();
                }

                @Override
                public void close() throws IOException {
                    f.close();
                }
            };
        }

        @Override
        public void delete(String name) {
            disk.delete(name);
        }

        @Override
        public void rename(String from, String to) {
            disk.rename(from, to);
        }
    }

    private static LogEntry entry(long index, long term) {
        return new LogEntry(index, term, EntryType.NORMAL, ("e" + index).getBytes(StandardCharsets.UTF_8));
    }

    private static void appendEach(RaftLog log, long from, long to, long term) throws IOException {
        for (long i = from; i <= to; i++) {
            log.append(List.of(entry(i, term)));
        }
    }

    @Test
    void aRoundOfSingleAppendsIsOneWrite() throws IOException {
        CountingDisk disk = new CountingDisk();
        try (RaftLog log = RaftLog.open(disk, 1 << 20)) {
            log.append(List.of(entry(1, 1)));
            log.sync();
            int before = disk.writes;
            appendEach(log, 2, 101, 1);
            assertEquals(before, disk.writes, "expected nothing written before the sync");
            assertEquals(entry(50, 1), log.entry(50), "expected a buffered entry readable");
            log.sync();
            assertEquals(before + 1, disk.writes, "expected 100 single appends written with one write");
            assertEquals(101, log.syncedIndex(), "expected everything synced");
        }
        try (RaftLog log = RaftLog.open(disk, 1 << 20)) {
            assertEquals(RaftLog.Damage.NONE, log.recovery().damage(), "expected an intact log");
            for (long i = 1; i <= 101; i++) {
                assertEquals(entry(i, 1), log.entry(i), "expected entry " + i + " after reopening");
            }
        }
    }

    @Test
    void cutsAndRollsWhileBufferedKeepTheLogExact() throws IOException {
        CountingDisk disk = new CountingDisk();
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            appendEach(log, 1, 40, 1);
            log.truncateFrom(31); // cut inside the buffer: entries are read back from the disk from now on
            assertEquals(30, log.lastIndex(), "expected the cut");
            assertEquals(entry(12, 1), log.entry(12), "expected an entry read from the disk after the cut");
            appendEach(log, 31, 400, 2); // rolls several 4 KiB segments without a sync in between
            log.sync();
        }
        try (RaftLog log = RaftLog.open(disk, SEGMENT)) {
            assertEquals(RaftLog.Damage.NONE, log.recovery().damage(), "expected an intact log: " + log.recovery());
            assertEquals(400, log.lastIndex(), "expected every entry back");
            for (long i = 1; i <= 400; i++) {
                assertEquals(entry(i, i <= 30 ? 1 : 2), log.entry(i), "expected entry " + i);
            }
        }
    }

    @Test
    void aCrashLosesOnlyWhatWasNotSynced() throws IOException {
        for (int seed = 0; seed < 20; seed++) {
            CountingDisk disk = new CountingDisk();
            RaftLog log = RaftLog.open(disk, SEGMENT);
            appendEach(log, 1, 150, 1);
            log.sync();
            appendEach(log, 151, 180, 1);
            log.entries(140, 180, 1 << 20); // served from memory: forces no write
            disk.disk.crash(new Random(seed));
            try (RaftLog reopened = RaftLog.open(disk, SEGMENT)) {
                assertEquals(RaftLog.Damage.NONE, reopened.recovery().damage(),
                        "seed " + seed + ": expected no damage from unsynced appends: " + reopened.recovery());
                assertEquals(150, reopened.lastIndex(), "seed " + seed + ": expected the synced entries only");
                assertEquals(entry(150, 1), reopened.entry(150), "seed " + seed + ": expected the last synced entry");
            }
        }
    }
}
