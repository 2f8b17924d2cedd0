package nats.mqtt.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The open-addressing tables behind {@link PacketIds}, against {@link HashMap} under random puts and removes. */
class PendingTablesTest {

    @Test
    void pendingTableAgreesWithAMap() {
        Random random = new Random(16);
        PendingTable table = new PendingTable();
        Map<Integer, Long> expected = new HashMap<>();
        // Identifiers in a sliding window, as PacketIds hands them out, plus random ones.
        int next = 1;
        for (int step = 0; step < 40_000; step++) {
            int pi = random.nextInt(4) == 0 ? 1 + random.nextInt(65535) : next;
            if (random.nextInt(3) == 0 && !expected.isEmpty()) {
                int victim = random.nextBoolean() ? pi : expected.keySet().iterator().next();
                table.remove(victim);
                expected.remove(victim);
            } else {
                table.put(pi, "d", step, new byte[] {(byte) step});
                expected.put(pi, (long) step);
                next = next % 65535 + 1;
            }
            if (step % 1999 == 0) {
                assertEquals(expected.size(), table.size(), "size at step " + step);
                for (Map.Entry<Integer, Long> e : expected.entrySet()) {
                    int slot = table.find(e.getKey());
                    assertEquals(e.getValue(), slot < 0 ? null : table.sequence(slot), "pi " + e.getKey());
                }
            }
            assertEquals(expected.containsKey(pi), table.contains(pi), "contains " + pi + " at step " + step);
        }
    }

    @Test
    void sequenceIndexAgreesWithAMap() {
        Random random = new Random(61);
        SequenceIndex index = new SequenceIndex();
        Map<Long, Integer> expected = new HashMap<>();
        long next = 1;
        for (int step = 0; step < 40_000; step++) {
            long sequence = random.nextInt(4) == 0 ? 1 + random.nextLong(1L << 40) : next++;
            if (random.nextInt(3) == 0) {
                long victim = random.nextBoolean() || expected.isEmpty() ? sequence : expected.keySet().iterator().next();
                index.remove(victim);
                expected.remove(victim);
            } else {
                int pi = 1 + random.nextInt(65535);
                index.put(sequence, pi);
                expected.put(sequence, pi);
            }
            assertEquals(expected.getOrDefault(sequence, 0), index.get(sequence), "sequence " + sequence);
            if (step % 1999 == 0) {
                for (Map.Entry<Long, Integer> e : expected.entrySet()) {
                    assertEquals(e.getValue(), index.get(e.getKey()), "sequence " + e.getKey() + " at step " + step);
                }
                int[] count = {0};
                index.forEachValue(v -> count[0]++);
                assertEquals(expected.size(), count[0], "values at step " + step);
            }
        }
    }
}
