package nats.jetstream.internal.engine;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

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
    /**
     * No request expires, needs a heartbeat or an interest check before this (a lower bound: deadlines only move
     * later, except a new request's, which {@link #add} folds in), so {@link #expire} runs once per deadline and
     * not once per delivered message.
     */
    private long dueNanos;
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
        // Its interest was never checked: the next expire looks at it.
        dueNanos = r.receivedNanos - 1;
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

    Iterator<Request> iterator() {
        return queue.iterator();
    }

    /** How a consumer answers and checks requests. */
    interface Replies {
        /** Sends a status-only message (e.g. {@code 408 Request Timeout}) to a request's inbox. */
        void status(String reply, byte[] header);

        /** Whether anyone is subscribed to the inbox. */
        boolean interest(String reply);

        /** Sends an idle heartbeat to the inbox. */
        void heartbeat(String reply);
    }

    private static final long INTEREST_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static byte[] timeout(Request r) {
        return Headers.status(408, "Request Timeout", "Nats-Pending-Messages", Integer.toString(r.remaining),
                "Nats-Pending-Bytes", Long.toString(r.maxBytes));
    }

    /** Go's {@code processWaiting}: expired requests get a 408, requests whose inbox went away are dropped. */
    void expire(long now, Replies replies) {
        if (now - dueNanos < 0 || queue.isEmpty()) {
            return;
        }
        long due = now + INTEREST_RECHECK_NANOS;
        for (Iterator<Request> it = queue.iterator(); it.hasNext(); ) {
            Request r = it.next();
            if (r.expired(now)) {
                replies.status(r.reply, timeout(r));
                it.remove();
                continue;
            }
            if (!hasInterest(r, now, replies)) {
                it.remove();
                continue;
            }
            if (r.nextHeartbeatNanos != 0 && now - r.nextHeartbeatNanos >= 0) {
                replies.heartbeat(r.reply);
                r.nextHeartbeatNanos = now + r.heartbeatNanos;
            }
            due = earliest(due, r.interestCheckedNanos + INTEREST_RECHECK_NANOS);
            if (r.expiresNanos != 0) {
                due = earliest(due, r.expiresNanos);
            }
            if (r.nextHeartbeatNanos != 0) {
                due = earliest(due, r.nextHeartbeatNanos);
            }
        }
        dueNanos = due;
    }

    private static long earliest(long a, long b) {
        return b - a < 0 ? b : a;
    }

    /** No-wait requests that got something end when nothing more is there (Go's {@code processWaiting(eos)}). */
    void endNoWait(Replies replies) {
        for (Iterator<Request> it = queue.iterator(); it.hasNext(); ) {
            Request r = it.next();
            if (r.noWait && r.delivered > 0) {
                replies.status(r.reply, timeout(r));
                it.remove();
            }
        }
    }

    /** Go's {@code nextWaiting}: the request to serve, honouring max bytes and dropping requests without interest. */
    Request next(int size, long now, Replies replies) {
        while (!queue.isEmpty()) {
            Request r = queue.peekFirst();
            if (r.maxBytes > 0) {
                if (size <= r.maxBytes) {
                    r.maxBytes -= size;
                    if (r.maxBytes == 0) {
                        r.remaining = 1;
                    }
                } else {
                    replies.status(r.reply, Headers.status(409, "Message Size Exceeds MaxBytes",
                            "Nats-Pending-Messages", Integer.toString(r.remaining), "Nats-Pending-Bytes",
                            Long.toString(r.maxBytes)));
                    queue.pollFirst();
                    continue;
                }
            }
            if (!r.expired(now) && hasInterest(r, now, replies)) {
                lastActivityNanos = now;
                if (r.heartbeatNanos > 0) {
                    r.nextHeartbeatNanos = now + r.heartbeatNanos;
                }
                return pop();
            }
            queue.pollFirst();
        }
        return null;
    }

    /**
     * Whether a request's inbox still has a subscriber. Looked up at most every 100 ms per request: a lookup per
     * delivered message would cost more than the delivery.
     */
    private static boolean hasInterest(Request r, long now, Replies replies) {
        if (r.interestCheckedNanos != 0 && now - r.interestCheckedNanos < INTEREST_RECHECK_NANOS) {
            return true;
        }
        if (!replies.interest(r.reply)) {
            return false;
        }
        r.interestCheckedNanos = now;
        return true;
    }

    /** The earliest time a request expires or needs a heartbeat, within {@code wait} of {@code now}. */
    long nextDeadline(long now, long wait) {
        long w = wait;
        for (Request r : queue) {
            if (r.expiresNanos != 0) {
                w = Math.min(w, Math.max(0, r.expiresNanos - now));
            }
            if (r.nextHeartbeatNanos != 0) {
                w = Math.min(w, Math.max(0, r.nextHeartbeatNanos - now));
            }
        }
        return w;
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
