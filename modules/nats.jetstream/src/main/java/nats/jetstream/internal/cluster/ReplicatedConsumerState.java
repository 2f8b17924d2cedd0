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

    /**
     * What a committed change may have acknowledged, for retention ({@link CommittedRetention}, which checks each):
     * the deliveries it removed from pending, the stream sequences the ack floor passed ({@code (floorAfter,
     * floorThrough]}), and those delivered ({@code (deliveredAfter, deliveredThrough]}: with ack policy none a delivery
     * counts as acknowledged).
     */
    record Acked(long[] removedPending, long floorAfter, long floorThrough, long deliveredAfter,
                 long deliveredThrough) {
        static final Acked NONE = new Acked(new long[0], 0, 0, 0, 0);

        boolean isEmpty() {
            return removedPending.length == 0 && floorThrough <= floorAfter && deliveredThrough <= deliveredAfter;
        }
    }

    /** Whether this committed state still needs stream sequence {@code seq} (its filter takes the message). */
    synchronized boolean needs(long seq, String ackPolicy) {
        if (seq > delivered.stream()) {
            return true; // not delivered yet
        }
        return switch (ackPolicy) {
            case "none" -> false;
            case "all" -> seq > ackFloor.stream();
            default -> seq > ackFloor.stream() && pending.containsKey(seq);
        };
    }

    /** What replacing {@code before} (null: none) by {@code after}, a whole state, may have acknowledged. */
    static Acked acknowledged(ReplicatedConsumerState before, ReplicatedConsumerState after) {
        if (before == null) {
            return Acked.NONE;
        }
        synchronized (before) {
            synchronized (after) {
                long[] removed = before.pending.keySet().stream().filter(k -> !after.pending.containsKey(k))
                        .mapToLong(Long::longValue).toArray();
                return new Acked(removed, before.ackFloor.stream(), after.ackFloor.stream(),
                        before.delivered.stream(), after.delivered.stream());
            }
        }
    }

    /** Applies a {@link ConsumerDelta} entry's body; returns what it acknowledged. */
    synchronized Acked apply(ByteBuffer b) {
        long floorBefore = ackFloor.stream();
        long deliveredBefore = delivered.stream();
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
        int removedCount = b.getInt();
        long[] removed = new long[removedCount];
        for (int i = 0; i < removedCount; i++) {
            removed[i] = b.getLong();
            pending.remove(removed[i]);
            lastAcked = now;
        }
        for (int i = b.getInt(); i > 0; i--) {
            redelivered.put(b.getLong(), b.getLong());
        }
        for (int i = b.getInt(); i > 0; i--) {
            redelivered.remove(b.getLong());
        }
        return new Acked(removed, floorBefore, ackFloor.stream(), deliveredBefore, delivered.stream());
    }
}
