package nats.raft.internal;

/**
 * The byte layout of log segments (see docs/raft.md). A segment starts with a 20-byte header; each record is
 *
 * <pre>
 *  0 u8  magic 0xE7 | 1 u8 entry type | 2 u16 0 | 4 u32 data length N
 *  8 u64 index | 16 u64 term
 * 24 u32 CRC32C of bytes 0..24 (the header: a length is trusted only after it)
 * 28 data (N bytes)
 * 28+N u32 CRC32C of bytes 0..28+N
 * </pre>
 */
final class LogFormat {

    static final int SEGMENT_MAGIC = 0x4C524E4A; // "JNRL" little-endian
    static final int VERSION = 1;
    static final int SEGMENT_HEADER = 20;        // magic u32, version u8, 3 zero, first index u64, CRC32C u32
    static final byte RECORD_MAGIC = (byte) 0xE7;
    static final int RECORD_HEADER = 28;
    static final int RECORD_OVERHEAD = RECORD_HEADER + 4;
    static final int MAX_DATA = 64 << 20;

    private LogFormat() {
    }

    static String segmentName(long firstIndex) {
        return String.format("seg-%020d.log", firstIndex);
    }

    static boolean isSegmentName(String name) {
        return name.startsWith("seg-") && name.endsWith(".log") && name.length() == 28;
    }

    static long segmentFirstIndex(String name) {
        return Long.parseLong(name.substring(4, 24));
    }

    static byte[] segmentHeader(long firstIndex) {
        byte[] h = new byte[SEGMENT_HEADER];
        Bytes.putInt(h, 0, SEGMENT_MAGIC);
        h[4] = VERSION;
        Bytes.putLong(h, 8, firstIndex);
        Bytes.putInt(h, 16, Bytes.crc(h, 0, 16));
        return h;
    }

    /** The first index a segment header names, or -1 if the header is damaged. */
    static long checkSegmentHeader(byte[] h) {
        if (Bytes.getInt(h, 0) != SEGMENT_MAGIC || h[4] != VERSION || Bytes.getInt(h, 16) != Bytes.crc(h, 0, 16)) {
            return -1;
        }
        return Bytes.getLong(h, 8);
    }

    /** Writes one record into {@code out} at {@code at}; returns the position after it. */
    static int putRecord(byte[] out, int at, LogEntry e) {
        out[at] = RECORD_MAGIC;
        out[at + 1] = (byte) e.type().code;
        out[at + 2] = 0;
        out[at + 3] = 0;
        Bytes.putInt(out, at + 4, e.data().length);
        Bytes.putLong(out, at + 8, e.index());
        Bytes.putLong(out, at + 16, e.term());
        Bytes.putInt(out, at + 24, Bytes.crc(out, at, 24));
        System.arraycopy(e.data(), 0, out, at + RECORD_HEADER, e.data().length);
        int end = at + RECORD_HEADER + e.data().length;
        Bytes.putInt(out, end, Bytes.crc(out, at, end - at));
        return end + 4;
    }

    /** The data length of a record header at {@code at} if its checksum holds, else -1. */
    static int checkHeader(byte[] b, int at) {
        if (b[at] != RECORD_MAGIC || b[at + 2] != 0 || b[at + 3] != 0 || b[at + 1] < 0 || b[at + 1] > 2
                || Bytes.getInt(b, at + 24) != Bytes.crc(b, at, 24)) {
            return -1;
        }
        int n = Bytes.getInt(b, at + 4);
        return n < 0 || n > MAX_DATA ? -1 : n;
    }

    /** Whether the whole record at {@code at} (its header checked, data length {@code n}) passes its trailer checksum. */
    static boolean checkTrailer(byte[] b, int at, int n) {
        int end = at + RECORD_HEADER + n;
        return Bytes.getInt(b, end) == Bytes.crc(b, at, end - at);
    }

    static LogEntry readEntry(byte[] b, int at, int n) {
        byte[] data = new byte[n];
        System.arraycopy(b, at + RECORD_HEADER, data, 0, n);
        return new LogEntry(Bytes.getLong(b, at + 8), Bytes.getLong(b, at + 16), EntryType.of(b[at + 1]), data);
    }
}
