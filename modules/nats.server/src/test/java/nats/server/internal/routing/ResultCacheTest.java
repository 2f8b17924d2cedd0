package nats.server.internal.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A producer's cache: kept across changes that do not touch its subjects, never stale after one that does. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ResultCacheTest {

    private final Sublist sublist = new Sublist();
    private final ResultCache cache = new ResultCache();
    private int nextSid = 1;

    private ServerSubscription subscribe(String subject) throws Sublist.InvalidSubjectException {
        ServerSubscription s = new ServerSubscription(SublistTest.NOBODY, subject, null,
                Integer.toString(nextSid++).getBytes(StandardCharsets.ISO_8859_1));
        sublist.insert(s);
        return s;
    }

    private MatchResult lookup(String subject) {
        // Inside a larger buffer, as the parser hands subjects over.
        byte[] buffer = ("PUB " + subject + " 0\r\n").getBytes(StandardCharsets.ISO_8859_1);
        return cache.lookup(sublist, buffer, 4, subject.length());
    }

    @Test
    void literalChurnOnOtherSubjectsKeepsTheEntry() throws Exception {
        ServerSubscription a = subscribe("orders.new");
        MatchResult first = lookup("orders.new");
        assertArrayEquals(new ServerSubscription[] {a}, first.plain(), "the subscriber of orders.new");
        for (int i = 0; i < 100; i++) {
            sublist.remove(subscribe("inbox." + i));
        }
        assertSame(first, lookup("orders.new"), "SUB/UNSUB of other literal subjects leaves the result as it was");
    }

    @Test
    void changeOnTheSameSubjectOrAMatchingWildcardIsSeenAtOnce() throws Exception {
        ServerSubscription a = subscribe("orders.new");
        MatchResult first = lookup("orders.new");
        ServerSubscription b = subscribe("orders.new");
        MatchResult second = lookup("orders.new");
        assertNotSame(first, second, "a SUB on the subject itself replaces the result");
        assertEquals(2, second.plain().length, "both subscribers of orders.new");
        ServerSubscription wildcard = subscribe("orders.*");
        assertEquals(3, lookup("orders.new").plain().length, "a matching wildcard SUB is seen on the next publish");
        sublist.remove(a);
        sublist.remove(wildcard);
        assertArrayEquals(new ServerSubscription[] {b}, lookup("orders.new").plain(), "UNSUBs are seen as well");
    }

    @Test
    void manySubjectsGrowTheTableAndStayCorrect() throws Exception {
        ServerSubscription all = subscribe("s.>");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 300; i++) {
                assertArrayEquals(new ServerSubscription[] {all}, lookup("s." + i).plain(), "s." + i + " round " + round);
            }
        }
        ServerSubscription one = subscribe("s.7");
        assertEquals(2, lookup("s.7").plain().length, "s.7 sees its new literal subscriber");
        assertSame(lookup("s.8"), lookup("s.8"), "other subjects stay cached");
        sublist.remove(one);
        assertEquals(1, lookup("s.7").plain().length, "and loses it again");
    }
}
