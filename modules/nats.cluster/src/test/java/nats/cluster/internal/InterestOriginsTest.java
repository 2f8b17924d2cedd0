package nats.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Go's sub.origin on a route: the first announcement of a key decides, and the origin leaves with the interest. */
class InterestOriginsTest {

    @Test
    void theFirstAnnouncementOfAKeyDecidesItsOrigin() {
        InterestOrigins origins = new InterestOrigins();
        assertEquals("", origins.origin("$G", "foo", null), "nothing announced: no origin");
        assertTrue(origins.recordIfAbsent("$G", "foo", "q", ""), "RS+ $G foo q 1 is a new key");
        assertFalse(origins.recordIfAbsent("$G", "foo", "q", "S"), "LS+ S $G foo q 2 only updates the weight");
        assertEquals("", origins.origin("$G", "foo", "q"), "the queue interest keeps no origin, as Go's osub");
        assertTrue(origins.recordIfAbsent("$G", "foo", null, "S"), "LS+ S $G foo is a new key");
        assertEquals("S", origins.origin("$G", "foo", null), "held for cluster S");
        assertEquals("", origins.origin("B", "foo", null), "another account is another key");
        origins.remove("$G", "foo", null);
        assertEquals("", origins.origin("$G", "foo", null), "gone with the interest");
        assertTrue(origins.recordIfAbsent("$G", "foo", null, ""), "announced again, as RS+ this time");
        assertEquals("", origins.origin("$G", "foo", null), "no origin now");
    }
}
