package nats.jetstream.internal.engine;

/**
 * Publish acks waiting for the store to report their message durable, in sequence order: a ring of
 * (sequence, reply subject, duplicate flag) without an object per message. Writers add under the stream's
 * write lock while an ack sender drains, so every operation is synchronized (uncontended almost always).
 */
final class PendingAcks {

    private long[] sequences = new long[1024];
    private byte[][] replies = new byte[1024][];
    private boolean[] duplicates = new boolean[1024];
    private int head;
    private int size;

    synchronized boolean isEmpty() {
        return size == 0;
    }

    synchronized void add(long sequence, byte[] reply, boolean duplicate) {
        if (size == sequences.length) {
            grow();
        }
        int at = (head + size) & (sequences.length - 1);
        sequences[at] = sequence;
        replies[at] = reply;
        duplicates[at] = duplicate;
        size++;
    }

    /** Whether the first waiting ack is for a sequence at or below {@code durable}. */
    synchronized boolean readyThrough(long durable) {
        return size > 0 && sequences[head] <= durable;
    }

    /**
     * Takes the acks ready at {@code durable} into {@code out} (up to its capacity); returns how many.
     */
    synchronized int takeReady(long durable, long[] seqOut, byte[][] replyOut, boolean[] dupOut) {
        int n = 0;
        while (size > 0 && n < seqOut.length && sequences[head] <= durable) {
            seqOut[n] = sequences[head];
            replyOut[n] = replies[head];
            dupOut[n] = duplicates[head];
            replies[head] = null;
            head = (head + 1) & (sequences.length - 1);
            size--;
            n++;
        }
        return n;
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
