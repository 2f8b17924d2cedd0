package nats.raft.internal;

import java.util.Arrays;

/** Term, type and file position of every entry held, by index: what the log answers without reading the disk. */
final class LogIndex {

    private long base;             // index of slot 0
    private int count;
    private long[] terms = new long[256];
    private long[] positions = new long[256]; // segment ordinal << 40 | offset
    private byte[] types = new byte[256];

    LogIndex(long firstIndex) {
        this.base = firstIndex;
    }

    long first() {
        return base;
    }

    /** The last index held, or {@code first() - 1} when empty. */
    long last() {
        return base + count - 1;
    }

    boolean holds(long index) {
        return index >= base && index < base + count;
    }

    void add(long term, byte type, int segment, long offset) {
        if (count == terms.length) {
            int size = count * 2;
            terms = Arrays.copyOf(terms, size);
            positions = Arrays.copyOf(positions, size);
            types = Arrays.copyOf(types, size);
        }
        terms[count] = term;
        positions[count] = ((long) segment << 40) | offset;
        types[count] = type;
        count++;
    }

    long term(long index) {
        return terms[(int) (index - base)];
    }

    byte type(long index) {
        return types[(int) (index - base)];
    }

    int segment(long index) {
        return (int) (positions[(int) (index - base)] >>> 40);
    }

    long offset(long index) {
        return positions[(int) (index - base)] & ((1L << 40) - 1);
    }

    /** Forgets every index from {@code index} on. */
    void truncateFrom(long index) {
        count = (int) Math.max(0, Math.min(count, index - base));
    }

    /** Forgets every index through {@code index}; the next one held becomes the first. */
    void dropThrough(long index) {
        int drop = (int) Math.min(count, Math.max(0, index - base + 1));
        System.arraycopy(terms, drop, terms, 0, count - drop);
        System.arraycopy(positions, drop, positions, 0, count - drop);
        System.arraycopy(types, drop, types, 0, count - drop);
        count -= drop;
        base = Math.max(base, index + 1);
    }

    /** Empties the index, the next entry to come being {@code firstIndex}. */
    void reset(long firstIndex) {
        base = firstIndex;
        count = 0;
    }

    /** Renumbers segment ordinals after the first {@code removed} segments were deleted. */
    void shiftSegments(int removed) {
        for (int i = 0; i < count; i++) {
            long seg = (positions[i] >>> 40) - removed;
            positions[i] = (seg << 40) | (positions[i] & ((1L << 40) - 1));
        }
    }
}
