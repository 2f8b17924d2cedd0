package nats.raft.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The current term, the vote cast in it, and the acknowledged mark (the last log index and term this member has
 * synced and may have acknowledged), in two slot files written in turn ({@code term.0}, {@code term.1}), each synced
 * before the value is used: a torn write leaves the other slot intact. Record: magic u32, generation u64, term u64,
 * mark index u64, mark term u64, vote length u16, vote (UTF-8), CRC32C u32.
 *
 * <p>The mark is how a member tells a torn last write (never acknowledged) from a disk that lost acknowledged
 * entries: a log cut below the mark at start means damage, and the member must be repaired before it votes.
 */
final class TermStore {

    private static final int MAGIC = 0x544E524A; // "JRNT"

    private final Disk disk;
    private final Disk.File[] slots = new Disk.File[2]; // kept open: the mark is written after every log sync
    /** Each open slot file's length, so an unchanged length costs no truncate (a metadata change) per mark. */
    private final long[] slotLengths = {-1, -1};
    private long generation;
    private long term;
    private String vote = "";
    private long markIndex;
    private long markTerm;
    private boolean damaged;

    TermStore(Disk disk) throws IOException {
        this.disk = disk;
        boolean anyFile = false;
        for (int slot = 0; slot < 2; slot++) {
            String name = "term." + slot;
            if (!disk.exists(name)) {
                continue;
            }
            anyFile = true;
            try (Disk.File file = disk.open(name)) {
                byte[] b = new byte[(int) Math.min(file.size(), 512)];
                int n = file.read(0, b, 0, b.length);
                readSlot(b, n);
            }
        }
        // Files there but neither readable: the vote may be lost, so the node must not vote until repaired.
        damaged = anyFile && generation == 0;
    }

    long term() {
        return term;
    }

    String vote() {
        return vote;
    }

    long markIndex() {
        return markIndex;
    }

    long markTerm() {
        return markTerm;
    }

    void close() throws IOException {
        for (int i = 0; i < 2; i++) {
            if (slots[i] != null) {
                slots[i].close();
                slots[i] = null;
            }
        }
    }

    /** Whether slot files existed but none could be read. */
    boolean damaged() {
        return damaged;
    }

    /** Durably records {@code newTerm} and the vote cast in it (empty: none). */
    void save(long newTerm, String newVote) throws IOException {
        write(newTerm, newVote, markIndex, markTerm);
    }

    /** Durably records that the log holds (synced) everything through {@code index}@{@code term}. */
    void mark(long index, long term) throws IOException {
        write(this.term, vote, index, term);
    }

    private void write(long newTerm, String newVote, long newMarkIndex, long newMarkTerm) throws IOException {
        byte[] v = newVote.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[42 + v.length];
        Bytes.putInt(b, 0, MAGIC);
        Bytes.putLong(b, 4, generation + 1);
        Bytes.putLong(b, 12, newTerm);
        Bytes.putLong(b, 20, newMarkIndex);
        Bytes.putLong(b, 28, newMarkTerm);
        Bytes.putShort(b, 36, v.length);
        System.arraycopy(v, 0, b, 38, v.length);
        Bytes.putInt(b, 38 + v.length, Bytes.crc(b, 0, 38 + v.length));
        int slot = (int) ((generation + 1) % 2);
        if (slots[slot] == null) {
            slots[slot] = disk.open("term." + slot);
            slotLengths[slot] = -1;
        }
        slots[slot].write(0, b, 0, b.length);
        if (slotLengths[slot] != b.length) {
            slots[slot].truncate(b.length);
            slotLengths[slot] = b.length;
        }
        slots[slot].sync();
        generation++;
        term = newTerm;
        vote = newVote;
        markIndex = newMarkIndex;
        markTerm = newMarkTerm;
    }

    private void readSlot(byte[] b, int n) {
        if (n < 42 || Bytes.getInt(b, 0) != MAGIC) {
            return;
        }
        int len = Bytes.getUnsignedShort(b, 36);
        if (38 + len + 4 > n || Bytes.getInt(b, 38 + len) != Bytes.crc(b, 0, 38 + len)) {
            return;
        }
        long gen = Bytes.getLong(b, 4);
        if (gen > generation) {
            generation = gen;
            term = Bytes.getLong(b, 12);
            markIndex = Bytes.getLong(b, 20);
            markTerm = Bytes.getLong(b, 28);
            vote = new String(b, 38, len, StandardCharsets.UTF_8);
        }
    }
}
