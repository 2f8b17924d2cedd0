package nats.jetstream.internal.engine;

/**
 * Publish acks waiting for the store to report their message durable, in sequence order: a ring of
 * (sequence, reply subject, duplicate flag) without an object per message.
 */
final class PendingAcks {

    private long[] sequences = new long[1024];
    private byte[][] replies = new byte[1024][];
    private boolean[] duplicates = new boolean[1024];
    private int head;
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    void add(long sequence, byte[] reply, boolean duplicate) {
        if (size == sequences.length) {
            grow();
        }
        int at = (head + size) & (sequences.length - 1);
        sequences[at] = sequence;
        replies[at] = reply;
        duplicates[at] = duplicate;
        size++;
    }

    long firstSequence() {
        return sequences[head];
    }

    byte[] firstReply() {
        return replies[head];
    }

    boolean firstDuplicate() {
        return duplicates[head];
    }

    void removeFirst() {
        replies[head] = null;
        head = (head + 1) & (sequences.length - 1);
        size--;
    }

    private void grow() {
        int n = sequences.length * 2;
        long[] s = new long[n];
        byte[][] r = new byte[n][];
        boolean[] d = new boolean[n];
        for (int i = 0; i < size; i++) {
            int at = (head + i) & (sequences.length - 1);
            s[i] = sequences[at];
            r[i] = replies[at];
            d[i] = duplicates[at];
        }
        sequences = s;
        replies = r;
        duplicates = d;
        head = 0;
    }
}
