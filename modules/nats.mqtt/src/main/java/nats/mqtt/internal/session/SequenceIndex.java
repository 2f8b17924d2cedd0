package nats.mqtt.internal.session;

import java.util.function.IntConsumer;

/**
 * One consumer's stream sequences (positive) to the packet identifiers they were sent with, so a redelivery
 * reuses its identifier. Open addressing on longs: no boxes per delivery. Not thread-safe.
 */
final class SequenceIndex {

    private long[] keys = new long[64];
    private int[] values = new int[64];
    private int size;
    private int shift = 64 - 6;

    /** The identifier of {@code sequence}, 0 when none. */
    int get(long sequence) {
        int mask = keys.length - 1;
        int i = slot(sequence);
        while (keys[i] != 0) {
            if (keys[i] == sequence) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return 0;
    }

    void put(long sequence, int pi) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = slot(sequence);
        while (keys[i] != 0 && keys[i] != sequence) {
            i = (i + 1) & mask;
        }
        if (keys[i] == 0) {
            keys[i] = sequence;
            size++;
        }
        values[i] = pi;
    }

    void remove(long sequence) {
        int mask = keys.length - 1;
        int i = slot(sequence);
        while (keys[i] != sequence) {
            if (keys[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        int hole = i;
        i = (i + 1) & mask;
        while (keys[i] != 0) {
            int home = slot(keys[i]);
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                hole = i;
            }
            i = (i + 1) & mask;
        }
        keys[hole] = 0;
        size--;
    }

    /** Every identifier held. */
    void forEachValue(IntConsumer action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                action.accept(values[i]);
            }
        }
    }

    /** Fibonacci hashing: sequences come in order, and at their own index they would fill one long run. */
    private int slot(long sequence) {
        return (int) ((sequence * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private void grow() {
        long[] k = keys;
        int[] v = values;
        keys = new long[k.length * 2];
        values = new int[k.length * 2];
        shift--;
        size = 0;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != 0) {
                put(k[i], v[i]);
            }
        }
    }

}
