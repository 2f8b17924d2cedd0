package nats.jetstream.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import nats.jetstream.store.ConsumerState;
import nats.jetstream.store.PendingDelivery;
import nats.jetstream.store.SequencePair;
import org.junit.jupiter.api.Test;

/** A consumer state change applied on a member gives the leader's state; its size follows the change only. */
class ConsumerDeltaTest {

    @Test
    void appliedDeltaGivesTheNewState() {
        Random random = new Random(17);
        ConsumerState base = state(random, 0, 1_000);
        ReplicatedConsumerState member = ReplicatedConsumerState.decode(ConsumerStateCodec.encode(base));
        for (int round = 0; round < 50; round++) {
            ConsumerState now = state(random, round * 20L, 1_000 + round * 20L);
            byte[] delta = ConsumerDelta.between(base, now);
            if (delta != null) {
                member.apply(ByteBuffer.wrap(delta));
            }
            assertEquals(now, member.state(), "state after round " + round);
            base = now;
        }
    }

    @Test
    void oneAckAmongManyPendingIsASmallEntry() {
        Map<Long, PendingDelivery> pending = new HashMap<>();
        for (long seq = 1; seq <= 1_000; seq++) {
            pending.put(seq, new PendingDelivery(seq, 1_000_000L * seq));
        }
        ConsumerState base = new ConsumerState(new SequencePair(1_000, 1_000), SequencePair.ZERO, pending, Map.of());
        assertNull(ConsumerDelta.between(base, base), "no change, no entry");
        Map<Long, PendingDelivery> less = new HashMap<>(pending);
        less.remove(500L);
        ConsumerState acked = new ConsumerState(base.delivered(), base.ackFloor(), less, Map.of());
        byte[] delta = ConsumerDelta.between(base, acked);
        assertTrue(delta.length <= 64, "one ack: " + delta.length + " bytes (the whole state: "
                + ConsumerStateCodec.encode(acked).length + ")");
        ReplicatedConsumerState member = ReplicatedConsumerState.decode(ConsumerStateCodec.encode(base));
        member.apply(ByteBuffer.wrap(delta));
        assertEquals(acked, member.state());
    }

    /** Pending deliveries between {@code floor} and {@code last}, some missing, some redelivered. */
    private static ConsumerState state(Random random, long floor, long last) {
        Map<Long, PendingDelivery> pending = new HashMap<>();
        Map<Long, Long> redelivered = new HashMap<>();
        for (long seq = floor + 1; seq <= last; seq++) {
            if (random.nextInt(4) != 0) {
                pending.put(seq, new PendingDelivery(seq + random.nextInt(3), random.nextLong()));
                if (random.nextInt(10) == 0) {
                    redelivered.put(seq, 1L + random.nextInt(5));
                }
            }
        }
        return new ConsumerState(new SequencePair(last + 7, last), new SequencePair(floor + 3, floor), pending,
                redelivered);
    }
}
