package nats.jetstream.internal.cluster;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import nats.jetstream.store.ConsumerState;
import nats.jetstream.store.PendingDelivery;
import nats.jetstream.store.SequencePair;

/**
 * A consumer's state as committed in its stream group, on every member: a whole state ({@link ConsumerStateCodec},
 * from a snapshot or a full entry) with the {@link ConsumerDelta}s committed after it applied in log order. Changed
 * on the group's thread; read by a new leader's install and by snapshots, hence the lock.
 */
final class ReplicatedConsumerState {

    private SequencePair delivered;
    private SequencePair ackFloor;
    private final Map<Long, PendingDelivery> pending;
    private final Map<Long, Long> redelivered;
    /**
     * When this member last applied a delivery and an ack (wall clock; null: none since it started): a new leader's
     * {@code last_active}, as Go's follower sets it when it applies a delivered or ack update.
     */
    private Instant lastDelivered;
    private Instant lastAcked;

    private ReplicatedConsumerState(ConsumerState s) {
        delivered = s.delivered();
        ackFloor = s.ackFloor();
        pending = new HashMap<>(s.pending());
        redelivered = new HashMap<>(s.redelivered());
    }

    /** From a whole state's encoding (a snapshot's). */
    static ReplicatedConsumerState decode(byte[] whole) {
        return new ReplicatedConsumerState(ConsumerStateCodec.decode(whole));
    }

    /** From a whole state's entry, applied now. */
    static ReplicatedConsumerState applied(byte[] whole) {
        ReplicatedConsumerState s = decode(whole);
        Instant now = Instant.now();
        s.lastDelivered = s.delivered.stream() > 0 ? now : null;
        s.lastAcked = s.ackFloor.stream() > 0 ? now : null;
        return s;
    }

    synchronized Instant lastDelivered() {
        return lastDelivered;
    }

    synchronized Instant lastAcked() {
        return lastAcked;
    }

    synchronized ConsumerState state() {
        return new ConsumerState(delivered, ackFloor, pending, redelivered);
    }

    /** The whole state's encoding (snapshots). */
    byte[] encode() {
        return ConsumerStateCodec.encode(state());
    }

    /** Applies a {@link ConsumerDelta} entry's body. */
    synchronized void apply(ByteBuffer b) {
        SequencePair newDelivered = new SequencePair(b.getLong(), b.getLong());
        SequencePair newAckFloor = new SequencePair(b.getLong(), b.getLong());
        Instant now = Instant.now();
        if (!newDelivered.equals(delivered)) {
            lastDelivered = now;
        }
        if (!newAckFloor.equals(ackFloor)) {
            lastAcked = now;
        }
        delivered = newDelivered;
        ackFloor = newAckFloor;
        for (int i = b.getInt(); i > 0; i--) {
            pending.put(b.getLong(), new PendingDelivery(b.getLong(), b.getLong()));
            lastDelivered = now;
        }
        for (int i = b.getInt(); i > 0; i--) {
            pending.remove(b.getLong());
            lastAcked = now;
        }
        for (int i = b.getInt(); i > 0; i--) {
            redelivered.put(b.getLong(), b.getLong());
        }
        for (int i = b.getInt(); i > 0; i--) {
            redelivered.remove(b.getLong());
        }
    }
}
