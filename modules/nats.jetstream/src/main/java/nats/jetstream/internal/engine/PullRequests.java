package nats.jetstream.internal.engine;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A pull consumer's waiting requests (Go's {@code waitQueue}), bounded by {@code max_waiting}. Requests are
 * served in turn: a request with messages still to receive goes to the back after each one.
 */
final class PullRequests {

    /** One {@code MSG.NEXT} request. */
    static final class Request {
        final String reply;
        final byte[] replyBytes;
        int remaining;
        int delivered;
        long maxBytes;
        final long expiresNanos;
        final long heartbeatNanos;
        long nextHeartbeatNanos;
        final boolean noWait;
        final long receivedNanos;
        final String group;
        /** When the request's inbox was last seen to have a subscriber (checked again after a while). */
        long interestCheckedNanos;

        Request(String reply, int batch, long maxBytes, long expiresNanos, long heartbeatNanos, boolean noWait,
                long now, String group) {
            this.reply = reply;
            this.replyBytes = reply.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            this.remaining = batch;
            this.maxBytes = maxBytes;
            this.expiresNanos = expiresNanos;
            this.heartbeatNanos = heartbeatNanos;
            this.nextHeartbeatNanos = heartbeatNanos > 0 ? now + heartbeatNanos : 0;
            this.noWait = noWait;
            this.receivedNanos = now;
            this.group = group;
        }

        boolean expired(long now) {
            return expiresNanos != 0 && now - expiresNanos >= 0;
        }
    }

    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    private final int max;
    /** When the last request arrived or was answered (for the inactive threshold of pull consumers). */
    long lastActivityNanos = System.nanoTime();

    PullRequests(int max) {
        this.max = max;
    }

    boolean isFull() {
        return queue.size() >= max;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    void add(Request r) {
        queue.addLast(r);
        lastActivityNanos = r.receivedNanos;
    }

    Request peek() {
        return queue.peekFirst();
    }

    void removeFirst() {
        queue.pollFirst();
    }

    /** Takes one message off the first request's batch; a request with more to come moves to the back. */
    Request pop() {
        Request r = queue.pollFirst();
        if (r == null) {
            return null;
        }
        r.delivered++;
        r.remaining--;
        if (r.remaining > 0) {
            queue.addLast(r);
        }
        return r;
    }

    /** Removes and returns... nothing: the caller iterates and removes with the iterator. */
    Iterator<Request> iterator() {
        return queue.iterator();
    }

    /** Messages the waiting requests still ask for. */
    long pendingBatch() {
        long n = 0;
        for (Request r : queue) {
            n += r.remaining;
        }
        return n;
    }

    void clear() {
        queue.clear();
    }
}
