package nats.jetstream.store.support;

import java.util.Arrays;

/**
 * One subject of a stream: its id, and the sequences of its messages in order, so that count, first and
 * last are exact and a subject's next or last message is found by binary search. Removing the first or last
 * sequence is O(1); a removal in the middle marks the entry (stored negated) and the list is compacted when
 * marks pile up. Not thread-safe: the engine guards it.
 */
public final class SubjectInfo {

    private final String subject;
    private final int id;
    private long[] seqs = new long[2];
    private int head;
    private int tail;
    private int marked;

    SubjectInfo(String subject, int id) {
        this.subject = subject;
        this.id = id;
    }

    /** The subject. */
    public String subject() {
        return subject;
    }

    /** Its id in the {@link SequenceIndex}. */
    public int id() {
        return id;
    }

    /** Messages on this subject. */
    public long count() {
        return tail - head - marked;
    }

    /** The first sequence, or 0 if there is none. */
    public long first() {
        return tail == head ? 0 : seqs[head];
    }

    /** The last sequence, or 0 if there is none. */
    public long last() {
        return tail == head ? 0 : seqs[tail - 1];
    }

    void add(long sequence) {
        if (tail == seqs.length) {
            int live = tail - head;
            if (head > 0 && live <= seqs.length / 2) {
                System.arraycopy(seqs, head, seqs, 0, live);
            } else {
                seqs = Arrays.copyOfRange(seqs, head, head + live * 2);
            }
            head = 0;
            tail = live;
        }
        seqs[tail++] = sequence;
    }

    /** Removes {@code sequence}; false if the subject has no such message. */
    boolean remove(long sequence) {
        if (tail == head) {
            return false;
        }
        if (seqs[head] == sequence) {
            head++;
            skipMarkedAtHead();
            return true;
        }
        if (seqs[tail - 1] == sequence) {
            tail--;
            skipMarkedAtTail();
            return true;
        }
        int index = indexOf(sequence);
        if (index < 0 || seqs[index] != sequence) {
            return false;
        }
        seqs[index] = -sequence;
        marked++;
        if (marked > 16 && marked > (tail - head) / 2) {
            compact();
        }
        return true;
    }

    /** Removes every sequence below {@code sequence}; returns how many. */
    long removeBelow(long sequence) {
        long removed = 0;
        while (head < tail && Math.abs(seqs[head]) < sequence) {
            if (seqs[head] > 0) {
                removed++;
            } else {
                marked--;
            }
            head++;
        }
        skipMarkedAtHead();
        return removed;
    }

    /** Removes every sequence above {@code sequence}; returns how many. */
    long removeAbove(long sequence) {
        long removed = 0;
        while (tail > head && Math.abs(seqs[tail - 1]) > sequence) {
            if (seqs[tail - 1] > 0) {
                removed++;
            } else {
                marked--;
            }
            tail--;
        }
        skipMarkedAtTail();
        return removed;
    }

    /** The first sequence at or above {@code from}, or 0. */
    public long nextAtOrAfter(long from) {
        for (int index = lowerBound(from); index < tail; index++) {
            if (seqs[index] > 0) {
                return seqs[index];
            }
        }
        return 0;
    }

    /** The last sequence at or below {@code upTo}, or 0. */
    public long lastAtOrBefore(long upTo) {
        for (int index = lowerBound(upTo + 1) - 1; index >= head; index--) {
            if (seqs[index] > 0) {
                return seqs[index];
            }
        }
        return 0;
    }

    /** Messages at or above {@code from}. */
    public long countFrom(long from) {
        int index = lowerBound(from);
        if (marked == 0) {
            return tail - index;
        }
        long total = 0;
        for (; index < tail; index++) {
            if (seqs[index] > 0) {
                total++;
            }
        }
        return total;
    }

    /** Calls {@code action} with every sequence at or above {@code from}, ascending. */
    void forEachFrom(long from, java.util.function.LongConsumer action) {
        for (int index = lowerBound(from); index < tail; index++) {
            if (seqs[index] > 0) {
                action.accept(seqs[index]);
            }
        }
    }

    /** A copy of the sequences at or above {@code from}, ascending. */
    long[] sequencesFrom(long from) {
        long[] result = new long[(int) countFrom(from)];
        int n = 0;
        for (int index = lowerBound(from); index < tail; index++) {
            if (seqs[index] > 0) {
                result[n++] = seqs[index];
            }
        }
        return result;
    }

    private int indexOf(long sequence) {
        int index = lowerBound(sequence);
        return index < tail && Math.abs(seqs[index]) == sequence ? index : -1;
    }

    /** First index whose sequence (marked or not) is at least {@code sequence}. */
    private int lowerBound(long sequence) {
        int low = head;
        int high = tail;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (Math.abs(seqs[mid]) < sequence) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private void skipMarkedAtHead() {
        while (head < tail && seqs[head] < 0) {
            head++;
            marked--;
        }
        if (head == tail) {
            head = 0;
            tail = 0;
        }
    }

    private void skipMarkedAtTail() {
        while (tail > head && seqs[tail - 1] < 0) {
            tail--;
            marked--;
        }
        if (head == tail) {
            head = 0;
            tail = 0;
        }
    }

    private void compact() {
        int to = 0;
        long[] target = seqs.length > 64 && (tail - head - marked) * 4 < seqs.length
                ? new long[Math.max(8, (tail - head - marked) * 2)] : seqs;
        for (int index = head; index < tail; index++) {
            if (seqs[index] > 0) {
                target[to++] = seqs[index];
            }
        }
        seqs = target;
        head = 0;
        tail = to;
        marked = 0;
    }
}
