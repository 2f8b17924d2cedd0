package nats.jetstream.internal.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import nats.jetstream.internal.model.ConsumerSettings;

/**
 * What a consumer has delivered and not had acknowledged (stream sequence to delivery sequence and time), how
 * often each message was redelivered, and the queue of messages due again; with Go's {@code checkPending}:
 * a message whose ack wait (or backoff step) ran out joins the queue. Guarded by the consumer's lock.
 */
final class Redeliveries {

    /** Stream sequence to {delivery sequence, last delivery time in ns since the epoch}. */
    final TreeMap<Long, long[]> pending = new TreeMap<>();
    /** Stream sequence to redeliveries so far (deliveries minus one). */
    final HashMap<Long, Long> counts = new HashMap<>();
    /** Messages due for redelivery, in the order they became due. */
    final LinkedHashSet<Long> queue = new LinkedHashSet<>();

    /** The ack wait before a message's next redelivery: its backoff step, or {@code ack_wait}. */
    static long ackWaitNanos(ConsumerSettings cfg, long redeliveries) {
        if (!cfg.backoff.isEmpty()) {
            int i = (int) Math.min(redeliveries, cfg.backoff.size() - 1);
            return cfg.backoff.get(i).toNanos();
        }
        return cfg.ackWait.toNanos();
    }

    /** Forgets a message (acked, or gone from the stream). */
    void forget(long sequence) {
        pending.remove(sequence);
        counts.remove(sequence);
        queue.remove(sequence);
    }

    /**
     * Queues messages whose ack wait ran out and drops those the stream no longer holds.
     *
     * @return nanoseconds until the next message's wait runs out, or -1 when nothing is pending
     */
    long check(ConsumerSettings cfg, long firstStreamSequence) {
        long now = System.currentTimeMillis() * 1_000_000L;
        long next = ackWaitNanos(cfg, Long.MAX_VALUE);
        List<Long> expired = new ArrayList<>();
        for (Iterator<Map.Entry<Long, long[]>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, long[]> e = it.next();
            long seq = e.getKey();
            if (seq < firstStreamSequence) {
                it.remove();
                counts.remove(seq);
                queue.remove(seq);
                continue;
            }
            long elapsed = now - e.getValue()[1];
            long deadline = ackWaitNanos(cfg, counts.getOrDefault(seq, 0L));
            if (elapsed >= deadline) {
                if (!queue.contains(seq)) {
                    expired.add(seq);
                }
            } else {
                next = Math.min(next, deadline - elapsed);
            }
        }
        for (long seq : expired) {
            queue.add(seq);
            pending.get(seq)[1] = now;
        }
        return pending.isEmpty() ? -1 : Math.max(next, 0) + TimeUnit.MILLISECONDS.toNanos(1);
    }
}
