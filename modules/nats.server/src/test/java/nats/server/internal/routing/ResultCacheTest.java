package nats.server.internal.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** A subject gets an entry on its second miss. */
    private MatchResult warm(String subject) {
        lookup(subject);
        return lookup(subject);
    }

    @Test
    void literalChurnOnOtherSubjectsKeepsTheEntry() throws Exception {
        ServerSubscription a = subscribe("orders.new");
        // Two matching nodes: each match makes a new result, so the same one again means a hit.
        ServerSubscription any = subscribe("orders.*");
        MatchResult first = warm("orders.new");
        assertArrayEquals(new ServerSubscription[] {a, any}, first.plain(), "the subscribers of orders.new");
        for (int i = 0; i < 100; i++) {
            sublist.remove(subscribe("inbox." + i));
        }
        assertSame(first, lookup("orders.new"), "SUB/UNSUB of other literal subjects leaves the result as it was");
    }

    @Test
    void changeOnTheSameSubjectOrAMatchingWildcardIsSeenAtOnce() throws Exception {
        ServerSubscription a = subscribe("orders.new");
        MatchResult first = warm("orders.new");
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
        ServerSubscription star = subscribe("s.*");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 300; i++) {
                assertArrayEquals(new ServerSubscription[] {all, star}, lookup("s." + i).plain(),
                        "s." + i + " round " + round);
            }
        }
        MatchResult s8 = warm("s.8");
        ServerSubscription one = subscribe("s.7");
        assertEquals(3, lookup("s.7").plain().length, "s.7 sees its new literal subscriber");
        assertSame(s8, lookup("s.8"), "other subjects stay cached");
        sublist.remove(one);
        assertEquals(2, lookup("s.7").plain().length, "and loses it again");
    }

    @Test
    void aHundredSubjectsPublishedInTurnAllStayCached() throws Exception {
        // As nats-bench churn publishes: 100 subjects round-robin, each matched by two nodes (a new result per match).
        subscribe("c.w7Kq2.>");
        subscribe("c.w7Kq2.*");
        String[] subjects = new String[100];
        for (int i = 0; i < subjects.length; i++) {
            subjects[i] = String.format(java.util.Locale.ROOT, "c.w7Kq2.p%02d", i);
        }
        // Far fewer rounds than a benchmark run's 20,000: the table has grown and every subject found a slot.
        for (int round = 0; round < 100; round++) {
            for (String subject : subjects) {
                lookup(subject);
            }
        }
        MatchResult[] settled = new MatchResult[subjects.length];
        for (int i = 0; i < subjects.length; i++) {
            settled[i] = lookup(subjects[i]);
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < subjects.length; i++) {
                assertSame(settled[i], lookup(subjects[i]), subjects[i] + " is a hit in round " + round);
            }
        }
    }

    @Test
    void subjectsUsedOnceDoNotEvictAHotEntry() throws Exception {
        ServerSubscription acks = subscribe("$JS.ACK.>");
        subscribe("orders.new");
        subscribe("orders.*");
        MatchResult hot = warm("orders.new");
        for (int i = 0; i < 10_000; i++) {
            String ack = "$JS.ACK.S.C.1." + i + "." + i + ".1700000000000000000.0";
            assertArrayEquals(new ServerSubscription[] {acks}, lookup(ack).plain(), ack);
            if (i % 100 == 0) {
                assertSame(hot, lookup("orders.new"), "the hot subject is still a hit after " + i + " acks");
            }
        }
        assertSame(hot, lookup("orders.new"), "the hot subject's entry survived 10,000 unique subjects");
        assertEquals(null, sublist.cachedMatch("$JS.ACK.S.C.1.5.5.1700000000000000000.0"),
                "nor did they enter the shared cache");
    }

    @Test
    void aSubjectUsedAgainIsCachedOnItsSecondMiss() throws Exception {
        subscribe("orders.new");
        subscribe("orders.*");
        MatchResult once = lookup("orders.new");
        MatchResult twice = lookup("orders.new");
        assertNotSame(once, twice, "the first miss is matched on the bytes, the second makes the entry");
        assertSame(twice, lookup("orders.new"), "then it is a hit");
        assertSame(twice, sublist.cachedMatch("orders.new"), "shared with the sublist's cache");
    }

    /** Lets the reader do a few look-ups (races included: the first may overlap the change), at most 50 ms. */
    private static void awaitReads(java.util.concurrent.atomic.AtomicLong reads,
                                   java.util.concurrent.atomic.AtomicBoolean stop) {
        long target = reads.get() + 4;
        long deadline = System.nanoTime() + 50_000_000L;
        while (reads.get() < target && !stop.get() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    /**
     * A producer looking subjects up (cached ones and ones used once) while another thread subscribes and
     * unsubscribes a wildcard covering them: a look-up that starts after a change has completed sees it.
     * The writer's counter is odd while it changes the list; even values alternate absent / present.
     */
    @Test
    void subUnsubRacingMissesIsNeverMissed() throws Exception {
        subscribe("race.hot");
        subscribe("race.*");
        ServerSubscription racer = new ServerSubscription(SublistTest.NOBODY, "race.>", null, new byte[] {'r'});
        java.util.concurrent.atomic.AtomicLong epoch = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        // Bounded in rounds and in time: on a loaded machine the two spinning threads may share one core.
        long writerDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 2_000 && !stop.get() && System.nanoTime() < writerDeadline; i++) {
                    epoch.incrementAndGet();
                    sublist.insert(racer);
                    epoch.incrementAndGet();
                    awaitReads(reads, stop);
                    epoch.incrementAndGet();
                    sublist.remove(racer);
                    epoch.incrementAndGet();
                    awaitReads(reads, stop);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        long checked = 0;
        try {
            for (int n = 0; writer.isAlive(); n++) {
                String subject = n % 2 == 0 ? "race.hot" : "race.u" + n;
                long before = epoch.get();
                MatchResult r = lookup(subject);
                reads.incrementAndGet();
                if (before % 2 == 0 && epoch.get() == before) {
                    boolean present = before % 4 == 2;
                    boolean seen = java.util.Arrays.asList(r.plain()).contains(racer);
                    assertEquals(present, seen, subject + " at epoch " + before);
                    checked++;
                }
            }
        } finally {
            stop.set(true);
            writer.join(5_000);
        }
        assertEquals(null, failure.get(), "writer failed");
        assertTrue(checked > 100, "look-ups ran between changes: " + checked);
        assertEquals(2, warm("race.hot").plain().length, "after the last UNSUB: race.hot and race.*");
    }
}
