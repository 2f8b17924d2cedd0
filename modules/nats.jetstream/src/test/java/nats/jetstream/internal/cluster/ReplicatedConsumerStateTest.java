package nats.jetstream.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

import nats.jetstream.store.ConsumerState;
import nats.jetstream.store.PendingDelivery;
import nats.jetstream.store.SequencePair;
import org.junit.jupiter.api.Test;

/**
 * What retention reads from a committed consumer state ({@link CommittedRetention}): what an applied change may have
 * acknowledged, and whether the state still needs a sequence under each ack policy (the engine's
 * {@code Consumer.needsAck}).
 */
class ReplicatedConsumerStateTest {

    /** Delivered through {@code delivered}, ack floor {@code floor}, {@code pending} still unacknowledged. */
    private static ConsumerState state(long delivered, long floor, long... pending) {
        Map<Long, PendingDelivery> p = new HashMap<>();
        for (long seq : pending) {
            p.put(seq, new PendingDelivery(seq, 1_000L * seq));
        }
        return new ConsumerState(new SequencePair(delivered, delivered), new SequencePair(floor, floor), p, Map.of());
    }

    private static ReplicatedConsumerState committed(ConsumerState s) {
        return ReplicatedConsumerState.decode(ConsumerStateCodec.encode(s));
    }

    @Test
    void aDeltaReportsTheAcksItCarries() {
        ConsumerState before = state(10, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        ReplicatedConsumerState member = committed(before);
        ConsumerState after = state(12, 4, 5, 7, 8, 9, 11, 12); // 3, 4, 6 and 10 acked; 11, 12 delivered
        ReplicatedConsumerState.Acked acked = member.apply(ByteBuffer.wrap(ConsumerDelta.between(before, after)));
        long[] removed = acked.removedPending().clone();
        java.util.Arrays.sort(removed);
        assertArrayEquals(new long[] {3, 4, 6, 10}, removed, "expected the acknowledged deliveries");
        assertEquals(2, acked.floorAfter(), "expected the floor range to start at the old floor");
        assertEquals(4, acked.floorThrough(), "expected the floor range to end at the new floor");
        assertEquals(10, acked.deliveredAfter(), "expected the delivered range to start at the old delivered");
        assertEquals(12, acked.deliveredThrough(), "expected the delivered range to end at the new delivered");
        assertFalse(acked.isEmpty(), "expected a change with acks not to be empty");
    }

    @Test
    void needsFollowsTheAckPolicy() {
        ReplicatedConsumerState s = committed(state(10, 4, 6, 8));
        assertTrue(s.needs(11, "explicit"), "expected an undelivered message needed (explicit)");
        assertTrue(s.needs(11, "none"), "expected an undelivered message needed (none)");
        assertTrue(s.needs(11, "all"), "expected an undelivered message needed (all)");
        assertTrue(s.needs(6, "explicit"), "expected a pending message needed (explicit)");
        assertFalse(s.needs(7, "explicit"), "expected an acknowledged message above the floor not needed (explicit)");
        assertFalse(s.needs(4, "explicit"), "expected a message at the floor not needed");
        assertTrue(s.needs(7, "all"), "expected a message above the floor needed (all)");
        assertFalse(s.needs(3, "all"), "expected a message below the floor not needed (all)");
        assertFalse(s.needs(7, "none"), "expected a delivered message not needed (none)");
    }

    @Test
    void aWholeStateReplacingAnotherReportsWhatItAcknowledged() {
        ReplicatedConsumerState before = committed(state(10, 2, 3, 5, 9));
        ReplicatedConsumerState after = committed(state(10, 3, 5));
        ReplicatedConsumerState.Acked acked = ReplicatedConsumerState.acknowledged(before, after);
        long[] removed = acked.removedPending().clone();
        java.util.Arrays.sort(removed);
        assertArrayEquals(new long[] {3, 9}, removed, "expected the deliveries no longer pending");
        assertEquals(2, acked.floorAfter(), "old floor");
        assertEquals(3, acked.floorThrough(), "new floor");
        assertTrue(ReplicatedConsumerState.acknowledged(null, after).isEmpty(),
                "expected a consumer's first state to acknowledge nothing");
    }
}
