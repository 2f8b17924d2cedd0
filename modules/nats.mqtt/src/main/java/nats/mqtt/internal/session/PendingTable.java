package nats.mqtt.internal.session;

import java.util.Arrays;

/**
 * Packet identifiers (1 to 65535) to what each stands for: the consumer's durable name, the stream sequence and
 * the JetStream ack subject. Open addressing on the identifier (hashed: they are handed out in sequence), so a
 * lookup is a probe or two and tracking a delivery allocates no boxes or entries. Not thread-safe.
 */
final class PendingTable {

    private int[] keys;
    private String[] durables;
    private long[] sequences;
    private byte[][] acks;
    private int size;
    private int shift;

    PendingTable() {
        allocate(64);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean contains(int pi) {
        return find(pi) >= 0;
    }

    /** Adds or replaces the entry of {@code pi}. */
    void put(int pi, String durable, long sequence, byte[] ack) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = home(pi);
        while (keys[i] != 0 && keys[i] != pi) {
            i = (i + 1) & mask;
        }
        if (keys[i] == 0) {
            keys[i] = pi;
            size++;
        }
        durables[i] = durable;
        sequences[i] = sequence;
        acks[i] = ack;
    }

    /** The slot of {@code pi}, -1 when it is not tracked; valid until the next change. */
    int find(int pi) {
        int mask = keys.length - 1;
        int i = home(pi);
        while (keys[i] != 0) {
            if (keys[i] == pi) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    String durable(int slot) {
        return durables[slot];
    }

    long sequence(int slot) {
        return sequences[slot];
    }

    byte[] ack(int slot) {
        return acks[slot];
    }

    /** Removes {@code pi} when tracked. */
    void remove(int pi) {
        int slot = find(pi);
        if (slot >= 0) {
            removeAt(slot);
        }
    }

    /** Removes the entry in {@code slot}, moving later entries of its probe run back so lookups still find them. */
    void removeAt(int slot) {
        int mask = keys.length - 1;
        int hole = slot;
        int i = (slot + 1) & mask;
        while (keys[i] != 0) {
            int home = home(keys[i]);
            // The entry may fill the hole when its home is not in the cyclic range (hole, i].
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                move(i, hole);
                hole = i;
            }
            i = (i + 1) & mask;
        }
        keys[hole] = 0;
        durables[hole] = null;
        acks[hole] = null;
        size--;
    }

    void clear() {
        Arrays.fill(keys, 0);
        Arrays.fill(durables, null);
        Arrays.fill(acks, null);
        size = 0;
    }

    /**
     * Fibonacci hashing: identifiers come in sequence, and at their own index they would fill one long run, which
     * every removal would have to walk to its end.
     */
    private int home(int pi) {
        return (int) ((pi * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private void move(int from, int to) {
        keys[to] = keys[from];
        durables[to] = durables[from];
        sequences[to] = sequences[from];
        acks[to] = acks[from];
    }

    private void grow() {
        int[] k = keys;
        String[] d = durables;
        long[] s = sequences;
        byte[][] a = acks;
        allocate(k.length * 2);
        size = 0;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != 0) {
                put(k[i], d[i], s[i], a[i]);
            }
        }
    }

    private void allocate(int capacity) {
        keys = new int[capacity];
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        durables = new String[capacity];
        sequences = new long[capacity];
        acks = new byte[capacity][];
    }
}
