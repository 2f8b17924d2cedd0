package nats.jetstream.store.support;

import java.util.Arrays;
import nats.jetstream.store.LostData;

/** The sequences a store found damaged or missing, and the bytes they held. Guarded by the engine's lock. */
final class LostTracker {

    private static final int MAX_LISTED = 1_000_000;

    private long[] sequences = new long[0];
    private int count;
    private long bytes;
    private long total;

    void add(long first, long last, long lostBytes) {
        for (long sequence = first; sequence <= last; sequence++) {
            total++;
            if (count < MAX_LISTED) {
                if (count == sequences.length) {
                    sequences = Arrays.copyOf(sequences, Math.max(16, count * 2));
                }
                sequences[count++] = sequence;
            }
        }
        bytes += lostBytes;
    }

    long total() {
        return total;
    }

    LostData data() {
        if (count == 0 && bytes == 0) {
            return LostData.NONE;
        }
        long[] sorted = Arrays.copyOf(sequences, count);
        Arrays.sort(sorted);
        return new LostData(sorted, bytes);
    }
}
