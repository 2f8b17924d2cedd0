package nats.jetstream.store.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sequence index when a stream keeps draining to empty: a dropped page is reused without old slots. */
class SequenceIndexTest {

    @Test
    void aReusedPageHoldsOnlyTheNewMessages() {
        SequenceIndex index = new SequenceIndex(true);
        // One message at a time, each removed before the next: every page is dropped and another begins.
        for (long seq = 1; seq <= 5 * SequenceIndex.PAGE; seq++) {
            index.add(seq, 7, 100, seq * 10, (byte) 0, 0, "m" + seq);
            assertEquals(1, index.count());
            assertEquals(seq, index.next(1));
            assertEquals(seq, index.previous(Long.MAX_VALUE >>> 1));
            assertEquals(1, index.countBetween(0, seq + 5000));
            assertEquals("m" + seq, index.reference(seq));
            assertTrue(index.remove(seq));
            assertFalse(index.contains(seq));
        }
        assertEquals(0, index.count());
        assertEquals(-1, index.next(0));
        // A new page after a dropped one starts empty, whatever slots the dropped page had.
        long base = 9L * SequenceIndex.PAGE;
        index.add(base + 3, 1, 10, 1, (byte) 0, 0, "x");
        assertEquals(base + 3, index.next(base));
        assertEquals(-1, index.next(base + 4));
        assertEquals(1, index.countBetween(base, base + SequenceIndex.PAGE - 1));
        assertEquals(-1, index.subjectId(base + 1000));
        assertEquals(1, index.subjectId(base + 3));
    }

    @Test
    void locationsSurviveAcrossPages() {
        SequenceIndex index = new SequenceIndex(false);
        for (long seq = 1; seq <= 3 * SequenceIndex.PAGE; seq++) {
            index.add(seq, (int) (seq % 5), 1, seq, (byte) 0, seq * 3, null);
        }
        for (long seq = 1; seq <= SequenceIndex.PAGE * 2; seq++) {
            index.remove(seq);
        }
        index.add(3L * SequenceIndex.PAGE + 1, 2, 1, 1, (byte) 0, 42, null);
        assertEquals(42, index.location(3L * SequenceIndex.PAGE + 1));
        assertEquals(SequenceIndex.PAGE * 2L + 1, index.next(1));
        assertEquals(SequenceIndex.PAGE + 1L, index.count());
    }
}
