package nats.jetstream.internal.cluster;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import nats.jetstream.store.ConsumerState;
import nats.jetstream.store.PendingDelivery;

/**
 * What changed in a consumer's state since the state its leader last proposed, as a stream group entry: the
 * delivered and ack-floor pairs (absolute), the deliveries added or changed and those acknowledged (pending list),
 * the redelivery counts set and dropped. An entry's size follows what changed between two proposals (Go's per-ack
 * delivered / ack updates), not the length of the pending list, so the log no longer grows with it. Layout: four
 * u64 (delivered consumer, stream; ack floor consumer, stream), then four lists, each with its u32 count: pending
 * set (stream seq, consumer seq, timestamp), pending removed (stream seq), redelivered set (stream seq, count),
 * redelivered removed (stream seq); all big-endian. Every member applies it
 * ({@link ReplicatedConsumerState#apply}).
 */
final class ConsumerDelta {

    private ConsumerDelta() {
    }

    /** The change from {@code base} to {@code now}, or null when there is none. */
    static byte[] between(ConsumerState base, ConsumerState now) {
        List<Long> pendingSet = changed(base.pending(), now.pending());
        List<Long> pendingGone = gone(base.pending(), now.pending());
        List<Long> redeliveredSet = changed(base.redelivered(), now.redelivered());
        List<Long> redeliveredGone = gone(base.redelivered(), now.redelivered());
        if (pendingSet.isEmpty() && pendingGone.isEmpty() && redeliveredSet.isEmpty() && redeliveredGone.isEmpty()
                && base.delivered().equals(now.delivered()) && base.ackFloor().equals(now.ackFloor())) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(4 * 8 + 4 * 4 + pendingSet.size() * 24 + pendingGone.size() * 8
                + redeliveredSet.size() * 16 + redeliveredGone.size() * 8);
        b.putLong(now.delivered().consumer()).putLong(now.delivered().stream());
        b.putLong(now.ackFloor().consumer()).putLong(now.ackFloor().stream());
        b.putInt(pendingSet.size());
        for (long seq : pendingSet) {
            PendingDelivery p = now.pending().get(seq);
            b.putLong(seq).putLong(p.consumerSequence()).putLong(p.timestamp());
        }
        putSequences(b, pendingGone);
        b.putInt(redeliveredSet.size());
        for (long seq : redeliveredSet) {
            b.putLong(seq).putLong(now.redelivered().get(seq));
        }
        putSequences(b, redeliveredGone);
        return b.array();
    }

    private static <V> List<Long> changed(Map<Long, V> base, Map<Long, V> now) {
        List<Long> out = new ArrayList<>();
        now.forEach((seq, v) -> {
            if (!Objects.equals(base.get(seq), v)) {
                out.add(seq);
            }
        });
        return out;
    }

    private static <V> List<Long> gone(Map<Long, V> base, Map<Long, V> now) {
        List<Long> out = new ArrayList<>();
        for (Long seq : base.keySet()) {
            if (!now.containsKey(seq)) {
                out.add(seq);
            }
        }
        return out;
    }

    private static void putSequences(ByteBuffer b, List<Long> sequences) {
        b.putInt(sequences.size());
        sequences.forEach(b::putLong);
    }
}
