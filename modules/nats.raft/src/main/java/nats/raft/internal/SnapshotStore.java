package nats.raft.internal;

import java.io.IOException;
import java.util.Optional;

/**
 * The latest snapshot, in {@code snapshot.dat}: magic u32, version u8, 3 zero bytes, last index u64, last term
 * u64, members length u32, members, data length u32, data, CRC32C u32 of everything before. Written to a
 * temporary file, synced and renamed; a snapshot received from a leader arrives in the same bytes, chunk by chunk.
 */
final class SnapshotStore {

    record Snapshot(long lastIndex, long lastTerm, Membership members, byte[] data) {
    }

    static final String FILE = "snapshot.dat";
    private static final String TEMP = "snapshot.tmp";
    private static final String RECEIVING = "snapshot.recv";
    private static final int MAGIC = 0x534E524A; // "JRNS"

    private final Disk disk;
    private Disk.File receiving;
    private long received;
    private boolean damaged;

    SnapshotStore(Disk disk) throws IOException {
        this.disk = disk;
        for (String leftover : new String[] {TEMP, RECEIVING}) {
            if (disk.exists(leftover)) {
                disk.delete(leftover);
            }
        }
    }

    /** The stored snapshot, if there is one and it is intact; see {@link #damaged()}. */
    Optional<Snapshot> load() throws IOException {
        if (!disk.exists(FILE)) {
            return Optional.empty();
        }
        try (Disk.File file = disk.open(FILE)) {
            byte[] b = new byte[(int) file.size()];
            int n = file.read(0, b, 0, b.length);
            Optional<Snapshot> snapshot = n == b.length ? decode(b) : Optional.empty();
            damaged = snapshot.isEmpty();
            return snapshot;
        }
    }

    /** Whether the last {@link #load()} found a snapshot file that failed its checks. */
    boolean damaged() {
        return damaged;
    }

    void save(Snapshot snapshot) throws IOException {
        byte[] b = encode(snapshot);
        try (Disk.File file = disk.open(TEMP)) {
            file.truncate(0);
            file.write(0, b, 0, b.length);
            file.sync();
        }
        disk.rename(TEMP, FILE);
    }

    long size() throws IOException {
        try (Disk.File file = disk.open(FILE)) {
            return file.size();
        }
    }

    /** Up to {@code max} bytes of the stored snapshot file from {@code offset}, for sending to a follower. */
    byte[] chunk(long offset, int max) throws IOException {
        try (Disk.File file = disk.open(FILE)) {
            int len = (int) Math.max(0, Math.min(max, file.size() - offset));
            byte[] b = new byte[len];
            file.read(offset, b, 0, len);
            return b;
        }
    }

    /** Bytes of a snapshot being received so far. */
    long received() {
        return received;
    }

    /** Writes a received chunk; a chunk at offset 0 starts over. Returns false if it does not follow the previous one. */
    boolean receive(long offset, byte[] chunk) throws IOException {
        if (offset == 0) {
            abortReceive();
            receiving = disk.open(RECEIVING);
            receiving.truncate(0);
        } else if (receiving == null || offset != received) {
            return false;
        }
        receiving.write(offset, chunk, 0, chunk.length);
        received = offset + chunk.length;
        return true;
    }

    /** Checks the received file; if intact, makes it the stored snapshot and returns it. */
    Optional<Snapshot> completeReceive() throws IOException {
        if (receiving == null) {
            return Optional.empty();
        }
        byte[] b = new byte[(int) receiving.size()];
        receiving.read(0, b, 0, b.length);
        Optional<Snapshot> snapshot = decode(b);
        if (snapshot.isPresent()) {
            receiving.sync();
            receiving.close();
            receiving = null;
            received = 0;
            disk.rename(RECEIVING, FILE);
        } else {
            abortReceive();
        }
        return snapshot;
    }

    void abortReceive() throws IOException {
        if (receiving != null) {
            receiving.close();
            receiving = null;
            disk.delete(RECEIVING);
        }
        received = 0;
    }

    static byte[] encode(Snapshot s) {
        byte[] members = s.members().encode();
        byte[] b = new byte[36 + members.length + s.data().length];
        Bytes.putInt(b, 0, MAGIC);
        b[4] = 1;
        Bytes.putLong(b, 8, s.lastIndex());
        Bytes.putLong(b, 16, s.lastTerm());
        Bytes.putInt(b, 24, members.length);
        System.arraycopy(members, 0, b, 28, members.length);
        int at = 28 + members.length;
        Bytes.putInt(b, at, s.data().length);
        System.arraycopy(s.data(), 0, b, at + 4, s.data().length);
        at += 4 + s.data().length;
        Bytes.putInt(b, at, Bytes.crc(b, 0, at));
        return b;
    }

    static Optional<Snapshot> decode(byte[] b) {
        if (b.length < 38 || Bytes.getInt(b, 0) != MAGIC || b[4] != 1
                || Bytes.getInt(b, b.length - 4) != Bytes.crc(b, 0, b.length - 4)) {
            return Optional.empty();
        }
        int membersLen = Bytes.getInt(b, 24);
        if (membersLen < 2 || 28L + membersLen + 8 > b.length) {
            return Optional.empty();
        }
        byte[] members = java.util.Arrays.copyOfRange(b, 28, 28 + membersLen);
        int at = 28 + membersLen;
        int dataLen = Bytes.getInt(b, at);
        if (dataLen < 0 || at + 4L + dataLen + 4 != b.length) {
            return Optional.empty();
        }
        byte[] data = java.util.Arrays.copyOfRange(b, at + 4, at + 4 + dataLen);
        return Optional.of(new Snapshot(Bytes.getLong(b, 8), Bytes.getLong(b, 16), Membership.decode(members), data));
    }
}
