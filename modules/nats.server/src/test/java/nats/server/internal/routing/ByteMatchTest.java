package nats.server.internal.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Matching on subject bytes: the same results as the String match, in the same order, without a String. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ByteMatchTest {

    private static final String[] TOKENS = {"a", "b", "c", "$JS", "ACK", "_INBOX", "*", ">"};

    private final Sublist sublist = new Sublist();
    private final ByteMatch scratch = new ByteMatch();
    private int nextSid = 1;

    private ServerSubscription subscribe(Subscriber who, String subject, String queue) throws Exception {
        ServerSubscription s = new ServerSubscription(who, subject, queue,
                Integer.toString(nextSid++).getBytes(StandardCharsets.ISO_8859_1));
        sublist.insert(s);
        return s;
    }

    private MatchResult matchBytes(String subject) {
        byte[] buffer = ("PUB " + subject + " 0\r\n").getBytes(StandardCharsets.ISO_8859_1);
        return sublist.match(buffer, 4, subject.length(), scratch);
    }

    private static String randomSubject(Random random, boolean wildcards) {
        int n = 1 + random.nextInt(4);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String t = TOKENS[random.nextInt(wildcards ? TOKENS.length : TOKENS.length - 2)];
            if (t.equals(">") && i < n - 1) {
                t = "*";
            }
            b.append(i == 0 ? "" : ".").append(t);
        }
        return b.toString();
    }

    private static void assertSameResult(MatchResult expected, MatchResult actual, String subject) {
        assertArrayEquals(expected.plain(), actual.plain(), "plain of " + subject);
        assertEquals(expected.queueGroups().length, actual.queueGroups().length, "groups of " + subject);
        for (int g = 0; g < expected.queueGroups().length; g++) {
            assertArrayEquals(expected.queueGroups()[g], actual.queueGroups()[g], "group " + g + " of " + subject);
        }
        assertArrayEquals(expected.links(), actual.links(), "links of " + subject);
        assertEquals(expected.involvesLinks(), actual.involvesLinks(), "involvesLinks of " + subject);
    }

    @Test
    void bytesMatchLikeTheStringOnRandomTries() throws Exception {
        Random random = new Random(42);
        LinkRoutingTest.FakeLink link = new LinkRoutingTest.FakeLink();
        List<ServerSubscription> present = new ArrayList<>();
        for (int round = 0; round < 300; round++) {
            // Grow and shrink the trie: local plain and queue subscriptions, and a link's.
            Subscriber who = random.nextInt(5) == 0 ? link : SublistTest.NOBODY;
            String queue = random.nextInt(4) == 0 ? "q" + random.nextInt(2) : null;
            present.add(subscribe(who, randomSubject(random, true), queue));
            if (random.nextInt(3) == 0) {
                assertTrue(sublist.remove(present.remove(random.nextInt(present.size()))), "removed");
            }
            for (int i = 0; i < 20; i++) {
                String subject = randomSubject(random, random.nextInt(8) == 0);
                assertSameResult(sublist.match(subject), matchBytes(subject), subject);
            }
        }
    }

    @Test
    void invalidAndOddSubjectsMatchAsTheStringDoes() throws Exception {
        subscribe(SublistTest.NOBODY, ">", null);
        subscribe(SublistTest.NOBODY, "a.*", null);
        for (String subject : new String[] {"", ".", "a.", ".a", "a..b", "a", "a.b", "a.b.c", "*", "a.>", "\u00e9.x"}) {
            assertSameResult(sublist.match(subject), matchBytes(subject), "'" + subject + "'");
        }
        assertTrue(matchBytes("a..b").isEmpty(), "an empty token matches nothing, even '>'");
    }

    @Test
    void aMissThroughOneWildcardReturnsThatNodesOwnResult() throws Exception {
        ServerSubscription acks = subscribe(SublistTest.NOBODY, "$JS.ACK.>", null);
        MatchResult first = matchBytes("$JS.ACK.S.C.1.1.1.1700000000000000000.0");
        assertArrayEquals(new ServerSubscription[] {acks}, first.plain(), "the ack subscription");
        assertSame(first, matchBytes("$JS.ACK.S.C.1.2.2.1700000000000000001.0"),
                "each further ack reuses the node's result: the miss allocates no result");
        ServerSubscription more = subscribe(SublistTest.NOBODY, "$JS.ACK.>", null);
        MatchResult after = matchBytes("$JS.ACK.S.C.1.3.3.1700000000000000002.0");
        assertNotSame(first, after, "a SUB on the node drops its result");
        assertArrayEquals(new ServerSubscription[] {acks, more}, after.plain(), "both subscriptions");
        assertTrue(sublist.remove(acks), "removed");
        assertArrayEquals(new ServerSubscription[] {more}, matchBytes("$JS.ACK.S.C.1.4.4.1.0").plain(),
                "an UNSUB is seen at once");
        assertFalse(matchBytes("$JS.ACK.x").isEmpty(), "still matches");
        assertEquals(null, sublist.cachedMatch("$JS.ACK.S.C.1.1.1.1700000000000000000.0"),
                "the byte match leaves the shared cache alone");
    }

    @Test
    void theProbeEqualsTheStringOfItsToken() {
        byte[] bytes = "x.caf\u00e9.y".getBytes(StandardCharsets.ISO_8859_1);
        ByteMatch probe = scratch.token(bytes, 2, 6);
        assertEquals("caf\u00e9".hashCode(), probe.hashCode(), "the String's hash");
        assertTrue(probe.equals("caf\u00e9"), "equal to the same characters");
        assertFalse(probe.equals("cafe"), "not to others");
        assertFalse(probe.equals("caf\u00e9s"), "nor to longer ones");
    }
}
