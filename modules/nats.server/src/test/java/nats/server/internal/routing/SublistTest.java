package nats.server.internal.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SublistTest {

    /** A subscriber that records nothing: the sublist only stores and returns subscriptions. */
    static final Subscriber NOBODY = new Subscriber() {
        @Override
        public boolean deliver(ServerSubscription subscription, RoutedMessage message) {
            return true;
        }

        @Override
        public void flushPending() {
        }
    };

    private final Sublist sublist = new Sublist();
    private int nextSid = 1;

    private ServerSubscription sub(String subject) {
        return sub(subject, null);
    }

    private ServerSubscription sub(String subject, String queue) {
        return new ServerSubscription(NOBODY, subject, queue,
                Integer.toString(nextSid++).getBytes(StandardCharsets.ISO_8859_1));
    }

    private ServerSubscription insert(String subject) throws Sublist.InvalidSubjectException {
        ServerSubscription s = sub(subject);
        sublist.insert(s);
        return s;
    }

    private ServerSubscription insertQueue(String subject, String queue) throws Sublist.InvalidSubjectException {
        ServerSubscription s = sub(subject, queue);
        sublist.insert(s);
        return s;
    }

    private static Set<ServerSubscription> plain(MatchResult r) {
        return new HashSet<>(Arrays.asList(r.plain()));
    }

    private static Set<String> plainSubjects(MatchResult r) {
        return Arrays.stream(r.plain()).map(ServerSubscription::subject).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void emptySublistMatchesNothing() {
        MatchResult r = sublist.match("foo");
        assertTrue(r.isEmpty());
        assertEquals(0, r.plain().length);
        assertEquals(0, r.queueGroups().length);
        assertEquals(0, sublist.count());
    }

    @Test
    void literalMatch() throws Exception {
        ServerSubscription foo = insert("foo");
        ServerSubscription fooBar = insert("foo.bar");
        assertEquals(Set.of(foo), plain(sublist.match("foo")));
        assertEquals(Set.of(fooBar), plain(sublist.match("foo.bar")));
        assertTrue(sublist.match("foo.baz").isEmpty());
        assertTrue(sublist.match("foo.bar.baz").isEmpty());
        assertTrue(sublist.match("bar").isEmpty());
        assertTrue(sublist.match("fo").isEmpty());
        assertTrue(sublist.match("Foo").isEmpty(), "subjects are case sensitive");
        assertEquals(2, sublist.count());
    }

    @Test
    void partialWildcardMatchesExactlyOneToken() throws Exception {
        ServerSubscription star = insert("foo.*");
        ServerSubscription middle = insert("a.*.c");
        ServerSubscription first = insert("*.bar");
        assertEquals(Set.of(star, first), plain(sublist.match("foo.bar")));
        assertEquals(Set.of(star), plain(sublist.match("foo.baz")));
        assertTrue(sublist.match("foo").isEmpty());
        assertTrue(sublist.match("foo.bar.baz").isEmpty());
        assertEquals(Set.of(middle), plain(sublist.match("a.b.c")));
        assertEquals(Set.of(middle), plain(sublist.match("a.xyz.c")));
        assertTrue(sublist.match("a.c").isEmpty());
        assertTrue(sublist.match("a.b.b.c").isEmpty());
        assertEquals(Set.of(first), plain(sublist.match("x.bar")));
    }

    @Test
    void fullWildcardMatchesOneOrMoreTokens() throws Exception {
        ServerSubscription gt = insert("foo.>");
        ServerSubscription all = insert(">");
        assertEquals(Set.of(gt, all), plain(sublist.match("foo.bar")));
        assertEquals(Set.of(gt, all), plain(sublist.match("foo.bar.baz.qux")));
        assertEquals(Set.of(all), plain(sublist.match("foo")), "foo.> must not match foo");
        assertEquals(Set.of(all), plain(sublist.match("bar")));
        assertEquals(Set.of(all), plain(sublist.match("bar.baz")));
    }

    @Test
    void mixedWildcards() throws Exception {
        ServerSubscription a = insert("*.*.>");
        ServerSubscription b = insert("foo.*.>");
        ServerSubscription c = insert("*.bar.*");
        assertEquals(Set.of(a, b, c), plain(sublist.match("foo.bar.baz")));
        assertEquals(Set.of(a, b), plain(sublist.match("foo.bar.baz.qux")));
        assertTrue(sublist.match("foo.bar").isEmpty());
        assertEquals(Set.of(a, c), plain(sublist.match("x.bar.y")));
    }

    @Test
    void overlappingSubscriptionsAreAllReturned() throws Exception {
        List<ServerSubscription> expected = new ArrayList<>();
        for (String s : List.of("a.b.c", "a.b.*", "a.*.c", "*.b.c", "a.>", "a.b.>", ">", "*.*.*", "*.>")) {
            expected.add(insert(s));
        }
        ServerSubscription other = insert("a.b.c.d");
        MatchResult r = sublist.match("a.b.c");
        assertEquals(new HashSet<>(expected), plain(r));
        assertFalse(plain(r).contains(other));
        assertEquals(expected.size(), r.plain().length, "each subscription exactly once");
    }

    @Test
    void sameSubjectManySubscriptions() throws Exception {
        ServerSubscription one = insert("foo");
        ServerSubscription two = insert("foo");
        assertEquals(Set.of(one, two), plain(sublist.match("foo")));
        assertTrue(sublist.remove(one));
        assertEquals(Set.of(two), plain(sublist.match("foo")));
    }

    @Test
    void queueSubscriptionsAreGroupedByQueueName() throws Exception {
        ServerSubscription q1a = insertQueue("foo", "q1");
        ServerSubscription q1b = insertQueue("foo", "q1");
        ServerSubscription q2 = insertQueue("foo", "q2");
        ServerSubscription plainSub = insert("foo");
        MatchResult r = sublist.match("foo");
        assertEquals(Set.of(plainSub), plain(r));
        assertEquals(2, r.queueGroups().length);
        Map<String, Set<ServerSubscription>> groups = groups(r);
        assertEquals(Set.of(q1a, q1b), groups.get("q1"));
        assertEquals(Set.of(q2), groups.get("q2"));
    }

    @Test
    void queueMembersFromDifferentNodesMergeIntoOneGroup() throws Exception {
        ServerSubscription literal = insertQueue("foo.bar", "workers");
        ServerSubscription star = insertQueue("foo.*", "workers");
        ServerSubscription gt = insertQueue("foo.>", "workers");
        ServerSubscription other = insertQueue("foo.*", "auditors");
        MatchResult r = sublist.match("foo.bar");
        Map<String, Set<ServerSubscription>> groups = groups(r);
        assertEquals(2, r.queueGroups().length, "one group per queue name: " + groups);
        assertEquals(Set.of(literal, star, gt), groups.get("workers"));
        assertEquals(Set.of(other), groups.get("auditors"));
        assertEquals(0, r.plain().length);
    }

    @Test
    void removingLastQueueMemberRemovesGroup() throws Exception {
        ServerSubscription a = insertQueue("foo", "q");
        ServerSubscription b = insertQueue("foo", "q");
        assertTrue(sublist.remove(a));
        assertEquals(Map.of("q", Set.of(b)), groups(sublist.match("foo")));
        assertTrue(sublist.remove(b));
        assertTrue(sublist.match("foo").isEmpty());
        assertEquals(0, sublist.count());
    }

    private static Map<String, Set<ServerSubscription>> groups(MatchResult r) {
        Map<String, Set<ServerSubscription>> out = new java.util.HashMap<>();
        for (ServerSubscription[] group : r.queueGroups()) {
            assertTrue(group.length > 0, "empty queue group");
            String name = group[0].queue();
            for (ServerSubscription s : group) {
                assertEquals(name, s.queue(), "group mixes queue names");
            }
            assertNull(out.put(name, new HashSet<>(Arrays.asList(group))), "queue " + name + " split in two groups");
        }
        return out;
    }

    @Test
    void removeReturnsFalseForUnknownSubscription() throws Exception {
        ServerSubscription kept = insert("foo.bar");
        assertFalse(sublist.remove(sub("foo.bar")), "same subject, other subscription");
        assertFalse(sublist.remove(sub("nothing.here")));
        assertFalse(sublist.remove(sub("foo")));
        assertFalse(sublist.remove(sub("foo.bar.baz")));
        assertFalse(sublist.remove(sub("foo..bar")), "invalid subject");
        assertFalse(sublist.remove(sub("foo.bar", "q")), "queue variant not present");
        assertEquals(1, sublist.count());
        assertTrue(sublist.remove(kept));
        assertFalse(sublist.remove(kept), "second removal");
        assertEquals(0, sublist.count());
    }

    @Test
    void removeAndPruneLeavesAnEmptyTrie() throws Exception {
        List<ServerSubscription> subs = new ArrayList<>();
        for (String s : List.of("a", "a.b", "a.b.c", "a.*.c", "a.>", "*.b", ">", "x.y.z.w", "a.b.c.d.e")) {
            subs.add(insert(s));
            subs.add(insertQueue(s, "q"));
        }
        assertEquals(subs.size(), sublist.count());
        assertEquals(new HashSet<>(subs), new HashSet<>(sublist.all()));
        // Remove leaves before their prefixes and the other way round.
        for (int i = 0; i < subs.size(); i += 2) {
            assertTrue(sublist.remove(subs.get(i)), subs.get(i).subject());
        }
        for (int i = subs.size() - 1; i > 0; i -= 2) {
            assertTrue(sublist.remove(subs.get(i)), subs.get(i).subject());
        }
        assertEquals(0, sublist.count());
        assertTrue(sublist.all().isEmpty());
        for (String s : List.of("a", "a.b", "a.b.c", "x.y.z.w", "q")) {
            assertTrue(sublist.match(s).isEmpty(), s);
        }
        assertTrue(rootIsEmpty(), "pruning must remove every node");
    }

    @Test
    void pruneKeepsNodesStillInUse() throws Exception {
        ServerSubscription deep = insert("a.b.c");
        ServerSubscription shallow = insert("a");
        assertTrue(sublist.remove(shallow));
        assertEquals(Set.of(deep), plain(sublist.match("a.b.c")));
        ServerSubscription again = insert("a");
        assertTrue(sublist.remove(deep));
        assertEquals(Set.of(again), plain(sublist.match("a")));
        assertTrue(sublist.match("a.b.c").isEmpty());
        assertTrue(sublist.remove(again));
        assertTrue(rootIsEmpty());
    }

    /** Looks at the trie root: after removing everything, no literal, {@code *} or {@code >} node remains. */
    private boolean rootIsEmpty() throws ReflectiveOperationException {
        Field rootField = Sublist.class.getDeclaredField("root");
        rootField.setAccessible(true);
        Object root = rootField.get(sublist);
        Field literals = root.getClass().getDeclaredField("literals");
        Field pwc = root.getClass().getDeclaredField("pwc");
        Field fwc = root.getClass().getDeclaredField("fwc");
        literals.setAccessible(true);
        pwc.setAccessible(true);
        fwc.setAccessible(true);
        return ((Map<?, ?>) literals.get(root)).isEmpty() && pwc.get(root) == null && fwc.get(root) == null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo..bar", ".foo", "foo.", ">.foo", "foo.>.bar", "", ".", "..", "a.>.>"})
    void invalidSubjectsAreRejected(String subject) throws ReflectiveOperationException {
        long generation = sublist.generation();
        assertThrows(Sublist.InvalidSubjectException.class, () -> sublist.insert(sub(subject)), subject);
        assertEquals(0, sublist.count());
        assertEquals(generation, sublist.generation(), "a rejected insert is no change");
        assertTrue(sublist.all().isEmpty());
        assertTrue(sublist.match("foo").isEmpty());
        assertTrue(sublist.match("foo.bar").isEmpty());
        assertTrue(rootIsEmpty(), "a rejected insert must not leave nodes behind (they are never pruned): " + subject);
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "foo.bar", "*", ">", "foo.*", "foo.>", "*.*.>", "foo.>bar", "a*.b", "$SYS.x", "_INBOX.abc"})
    void validSubjectsAreAccepted(String subject) throws Exception {
        insert(subject);
        assertEquals(1, sublist.count());
    }

    @Test
    void matchOfInvalidLiteralIsEmpty() throws Exception {
        insert(">");
        assertTrue(sublist.match("").isEmpty());
        assertTrue(sublist.match("foo..bar").isEmpty());
        assertTrue(sublist.match(".foo").isEmpty());
        assertTrue(sublist.match("foo.").isEmpty());
    }

    @Test
    void tokenize() {
        assertEquals(List.of("a", "b", "c"), Sublist.tokenize("a.b.c"));
        assertEquals(List.of("a"), Sublist.tokenize("a"));
        assertNull(Sublist.tokenize(""));
        assertNull(Sublist.tokenize("a..b"));
        assertNull(Sublist.tokenize(".a"));
        assertNull(Sublist.tokenize("a."));
    }

    @Test
    void cacheSeesWildcardInsertedAfterMatch() throws Exception {
        assertTrue(sublist.match("foo.bar").isEmpty());
        assertTrue(sublist.match("foo.baz").isEmpty());
        ServerSubscription star = insert("foo.*");
        assertEquals(Set.of(star), plain(sublist.match("foo.bar")));
        assertEquals(Set.of(star), plain(sublist.match("foo.baz")));
        ServerSubscription gt = insert(">");
        assertEquals(Set.of(star, gt), plain(sublist.match("foo.bar")));
        assertTrue(sublist.remove(star));
        assertEquals(Set.of(gt), plain(sublist.match("foo.bar")));
        assertTrue(sublist.remove(gt));
        assertTrue(sublist.match("foo.bar").isEmpty());
        assertTrue(sublist.match("foo.baz").isEmpty());
    }

    @Test
    void cacheSeesLiteralAndQueueChanges() throws Exception {
        assertTrue(sublist.match("a.b").isEmpty());
        ServerSubscription literal = insert("a.b");
        assertEquals(Set.of(literal), plain(sublist.match("a.b")));
        ServerSubscription queued = insertQueue("a.b", "q");
        MatchResult r = sublist.match("a.b");
        assertEquals(Set.of(literal), plain(r));
        assertEquals(Map.of("q", Set.of(queued)), groups(r));
        assertTrue(sublist.remove(queued));
        assertEquals(0, sublist.match("a.b").queueGroups().length);
        assertTrue(sublist.remove(literal));
        assertTrue(sublist.match("a.b").isEmpty());
    }

    @Test
    void unrelatedChangeKeepsCachedResult() throws Exception {
        ServerSubscription foo = insert("foo");
        MatchResult first = sublist.match("foo");
        insert("bar.baz");
        assertSame(first, sublist.cachedMatch("foo"), "a change to another subject need not drop the cached result");
        insert("*");
        MatchResult after = sublist.match("foo");
        assertEquals(2, after.plain().length);
        assertTrue(plain(after).contains(foo));
    }

    @Test
    void cacheStaysCorrectBeyondItsCapacity() throws Exception {
        ServerSubscription all = insert("s.>");
        for (int i = 0; i < Sublist.CACHE_MAX * 3; i++) {
            assertEquals(Set.of(all), plain(sublist.match("s." + i)));
        }
        ServerSubscription star = insert("s.*");
        for (int i = 0; i < Sublist.CACHE_MAX * 3; i += 7) {
            assertEquals(Set.of(all, star), plain(sublist.match("s." + i)), "s." + i);
        }
        assertTrue(sublist.remove(all));
        assertTrue(sublist.remove(star));
        for (int i = 0; i < Sublist.CACHE_MAX * 3; i += 5) {
            assertTrue(sublist.match("s." + i).isEmpty(), "s." + i);
        }
    }

    @Test
    void aFullCacheStillAdmitsASubjectUsedAgain() throws Exception {
        insert("s.>");
        for (int i = 0; i < Sublist.CACHE_MAX * 2; i++) {
            sublist.match("s." + i);
        }
        // Subjects used once no longer churn the full cache; one matched repeatedly gets in within a few misses.
        for (int i = 0; i < Sublist.ADMIT_FULL; i++) {
            sublist.match("s.hot");
        }
        MatchResult cached = sublist.match("s.hot");
        assertSame(cached, sublist.cachedMatch("s.hot"), "expected the hot subject's result cached");
        assertEquals(1, cached.plain().length, "and correct");
    }

    @Test
    void generationChangesOnEveryInsertAndRemove() throws Exception {
        long g0 = sublist.generation();
        ServerSubscription a = insert("a");
        long g1 = sublist.generation();
        assertNotEquals(g0, g1);
        ServerSubscription b = insertQueue("a", "q");
        long g2 = sublist.generation();
        assertNotEquals(g1, g2);
        sublist.match("a");
        assertEquals(g2, sublist.generation(), "match is not a change");
        assertFalse(sublist.remove(sub("zzz")));
        assertEquals(g2, sublist.generation(), "failed remove is not a change");
        assertTrue(sublist.remove(a));
        long g3 = sublist.generation();
        assertNotEquals(g2, g3);
        assertTrue(sublist.remove(b));
        assertNotEquals(g3, sublist.generation());
        assertTrue(sublist.generation() > g0, "generation only grows");
    }

    @Test
    void allListsEverySubscription() throws Exception {
        Set<ServerSubscription> expected = new HashSet<>();
        expected.add(insert("a"));
        expected.add(insert("a.b"));
        expected.add(insert("*"));
        expected.add(insert(">"));
        expected.add(insert("a.*.>"));
        expected.add(insertQueue("a.b", "q"));
        List<ServerSubscription> all = sublist.all();
        assertEquals(expected.size(), all.size());
        assertEquals(expected, new HashSet<>(all));
    }

    @Test
    void wildcardLookingPublishSubjectMatchesLikeGo() throws Exception {
        ServerSubscription star = insert("foo.*");
        ServerSubscription literal = insert("foo.bar");
        // A publish to "foo.*" (allowed without pedantic) matches subscriptions whose token is '*' or a
        // wildcard, not every literal.
        assertEquals(Set.of(star), plain(sublist.match("foo.*")));
        assertEquals(Set.of(star, literal), plain(sublist.match("foo.bar")));
    }

    @Test
    void matchResultsAreStableSnapshots() throws Exception {
        ServerSubscription a = insert("x");
        MatchResult before = sublist.match("x");
        ServerSubscription b = insert("x");
        assertArrayEquals(new ServerSubscription[] {a}, before.plain(), "an old result does not change");
        assertEquals(Set.of(a, b), plain(sublist.match("x")));
    }

    @Test
    void concurrentInsertRemoveAndMatch() throws Exception {
        int threads = 4;
        int perThread = 2000;
        List<Thread> workers = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        ServerSubscription watcher = insert("c.>");
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < perThread; i++) {
                        ServerSubscription s = new ServerSubscription(NOBODY, "c." + id + "." + (i % 50), null,
                                ("t" + id + "-" + i).getBytes(StandardCharsets.ISO_8859_1));
                        sublist.insert(s);
                        MatchResult r = sublist.match("c." + id + "." + (i % 50));
                        if (!plain(r).contains(s) || !plain(r).contains(watcher)) {
                            throw new AssertionError("missing own subscription in " + plainSubjects(r));
                        }
                        if (!sublist.remove(s)) {
                            throw new AssertionError("could not remove " + s.subject());
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(1, sublist.count());
        assertEquals(Set.of(watcher), plain(sublist.match("c.1.1")));
    }

    @Test
    @Tag("slow")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void oneMillionSubscriptions() throws Exception {
        int n = 1_000_000;
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        ServerSubscription[] subs = new ServerSubscription[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            subs[i] = new ServerSubscription(NOBODY, "s." + i + ".x", null,
                    Integer.toString(i).getBytes(StandardCharsets.ISO_8859_1));
            sublist.insert(subs[i]);
        }
        long t1 = System.nanoTime();
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        for (int i = 0; i < n; i++) {
            ServerSubscription[] plain = sublist.match("s." + i + ".x").plain();
            if (plain.length != 1 || plain[0] != subs[i]) {
                throw new AssertionError("wrong match for s." + i + ".x");
            }
        }
        long t2 = System.nanoTime();
        assertEquals(n, sublist.count());
        assertTrue(sublist.match("s.1000000.x").isEmpty());
        System.out.printf("1M subscriptions: insert %d ms, match %d ms, heap used %.1f MB (%d bytes/subscription)%n",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (after - before) / 1e6, (after - before) / n);
    }
}
