package nats.jetstream.store.support;

import java.util.Arrays;

/**
 * Per-message TTL deadlines: a binary min-heap of (deadline, sequence) in two primitive arrays. Entries of
 * messages removed early stay until they come up and are then ignored (the engine checks the message is
 * still there with the same deadline). Not thread-safe: the engine guards it.
 */
public final class ExpiryQueue {

    private long[] deadlines = new long[16];
    private long[] sequences = new long[16];
    private int size;

    /** Entries queued (including stale ones). */
    public int size() {
        return size;
    }

    /** Queues {@code sequence} to expire at {@code deadline} (nanoseconds since the epoch). */
    public void add(long deadline, long sequence) {
        if (size == deadlines.length) {
            deadlines = Arrays.copyOf(deadlines, size * 2);
            sequences = Arrays.copyOf(sequences, size * 2);
        }
        int index = size++;
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (deadlines[parent] <= deadline) {
                break;
            }
            deadlines[index] = deadlines[parent];
            sequences[index] = sequences[parent];
            index = parent;
        }
        deadlines[index] = deadline;
        sequences[index] = sequence;
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} when empty. */
    public long peekDeadline() {
        return size == 0 ? Long.MAX_VALUE : deadlines[0];
    }

    /** The sequence with the earliest deadline (the queue must not be empty). */
    public long peekSequence() {
        return sequences[0];
    }

    /** Removes the earliest entry. */
    public void poll() {
        size--;
        if (size == 0) {
            return;
        }
        long deadline = deadlines[size];
        long sequence = sequences[size];
        int index = 0;
        while (true) {
            int child = 2 * index + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && deadlines[child + 1] < deadlines[child]) {
                child++;
            }
            if (deadlines[child] >= deadline) {
                break;
            }
            deadlines[index] = deadlines[child];
            sequences[index] = sequences[child];
            index = child;
        }
        deadlines[index] = deadline;
        sequences[index] = sequence;
    }

    /** Drops every entry. */
    public void clear() {
        size = 0;
    }

    /** Drops entries of sequences above {@code sequence} (after a truncate, which may reuse them). */
    public void removeAbove(long sequence) {
        long[] keptDeadlines = new long[Math.max(16, size)];
        long[] keptSequences = new long[Math.max(16, size)];
        int kept = 0;
        for (int index = 0; index < size; index++) {
            if (sequences[index] <= sequence) {
                keptDeadlines[kept] = deadlines[index];
                keptSequences[kept++] = sequences[index];
            }
        }
        long[] oldDeadlines = keptDeadlines;
        long[] oldSequences = keptSequences;
        deadlines = new long[oldDeadlines.length];
        sequences = new long[oldSequences.length];
        size = 0;
        for (int index = 0; index < kept; index++) {
            add(oldDeadlines[index], oldSequences[index]);
        }
    }
}
