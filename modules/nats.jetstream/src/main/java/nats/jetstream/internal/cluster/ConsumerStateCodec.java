package nats.jetstream.internal.cluster;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

import nats.jetstream.store.ConsumerState;
import nats.jetstream.store.PendingDelivery;
import nats.jetstream.store.SequencePair;

/**
 * A consumer's state as a stream group replicates it: delivered (consumer, stream), ack floor (consumer, stream),
 * then the pending deliveries (stream sequence, consumer sequence, timestamp) and the redelivery counts (stream
 * sequence, count), each list with its u32 count; all big-endian.
 */
final class ConsumerStateCodec {

    private ConsumerStateCodec() {
    }

    static byte[] encode(ConsumerState s) {
        ByteBuffer b = ByteBuffer.allocate(4 * 8 + 4 + s.pending().size() * 24 + 4 + s.redelivered().size() * 16);
        b.putLong(s.delivered().consumer()).putLong(s.delivered().stream());
        b.putLong(s.ackFloor().consumer()).putLong(s.ackFloor().stream());
        b.putInt(s.pending().size());
        s.pending().forEach((seq, p) -> b.putLong(seq).putLong(p.consumerSequence()).putLong(p.timestamp()));
        b.putInt(s.redelivered().size());
        s.redelivered().forEach((seq, n) -> b.putLong(seq).putLong(n));
        return b.array();
    }

    static ConsumerState decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        SequencePair delivered = new SequencePair(b.getLong(), b.getLong());
        SequencePair ackFloor = new SequencePair(b.getLong(), b.getLong());
        Map<Long, PendingDelivery> pending = new HashMap<>();
        for (int i = b.getInt(); i > 0; i--) {
            pending.put(b.getLong(), new PendingDelivery(b.getLong(), b.getLong()));
        }
        Map<Long, Long> redelivered = new HashMap<>();
        for (int i = b.getInt(); i > 0; i--) {
            redelivered.put(b.getLong(), b.getLong());
        }
        return new ConsumerState(delivered, ackFloor, pending, redelivered);
    }
}
