package nats.raft.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The current term and the vote cast in it, in two slot files written in turn ({@code term.0}, {@code term.1}),
 * each synced before the value is used: a torn write leaves the other slot intact. Record: magic u32, generation
 * u64, term u64, vote length u16, vote (UTF-8), CRC32C u32.
 */
final class TermStore {

    private static final int MAGIC = 0x544E524A; // "JRNT"

    private final Disk disk;
    private long generation;
    private long term;
    private String vote = "";
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

    /** Whether slot files existed but none could be read. */
    boolean damaged() {
        return damaged;
    }

    /** Durably records {@code newTerm} and the vote cast in it (empty: none). */
    void save(long newTerm, String newVote) throws IOException {
        byte[] v = newVote.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[26 + v.length];
        Bytes.putInt(b, 0, MAGIC);
        Bytes.putLong(b, 4, generation + 1);
        Bytes.putLong(b, 12, newTerm);
        Bytes.putShort(b, 20, v.length);
        System.arraycopy(v, 0, b, 22, v.length);
        Bytes.putInt(b, 22 + v.length, Bytes.crc(b, 0, 22 + v.length));
        try (Disk.File file = disk.open("term." + ((generation + 1) % 2))) {
            file.write(0, b, 0, b.length);
            file.truncate(b.length);
            file.sync();
        }
        generation++;
        term = newTerm;
        vote = newVote;
    }

    private void readSlot(byte[] b, int n) {
        if (n < 26 || Bytes.getInt(b, 0) != MAGIC) {
            return;
        }
        int len = Bytes.getUnsignedShort(b, 20);
        if (22 + len + 4 > n || Bytes.getInt(b, 22 + len) != Bytes.crc(b, 0, 22 + len)) {
            return;
        }
        long gen = Bytes.getLong(b, 4);
        if (gen > generation) {
            generation = gen;
            term = Bytes.getLong(b, 12);
            vote = new String(b, 22, len, StandardCharsets.UTF_8);
        }
    }
}
