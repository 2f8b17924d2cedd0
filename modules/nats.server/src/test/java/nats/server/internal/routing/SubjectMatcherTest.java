package nats.server.internal.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SubjectMatcherTest {

    @ParameterizedTest(name = "hasWildcard({0}) -> {1}")
    @CsvSource({
        "foo, false", "*, true", ">, true", "foo.*, true", "foo.>, true", "a.*.b, true", "*.a, true",
        "foo*, false", "*foo, false", "a.b*.c, false", "a.>b, false", "f>.x, false", "a.b.c, false",
        "'a..*', true", "'.>', true", "'*.', true"
    })
    void hasWildcardSeesOnlyWholeWildcardTokens(String subject, boolean expected) {
        boolean splitAnswer = false;
        for (String token : subject.split("\\.", -1)) {
            splitAnswer |= token.equals("*") || token.equals(">");
        }
        assertEquals(expected, splitAnswer, "the test's own expectation for " + subject);
        assertEquals(expected, SubjectMatcher.hasWildcard(subject), subject);
    }

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
        "foo, foo, true",
        "foo, bar, false",
        "foo.bar, foo.bar, true",
        "foo.bar, foo, false",
        "foo, foo.bar, false",
        "foo.bar, foo.*, true",
        "foo.bar, *.bar, true",
        "foo.bar, *.*, true",
        "foo.bar, *, false",
        "foo, *, true",
        "foo.bar.baz, foo.*, false",
        "foo.bar.baz, foo.*.baz, true",
        "foo.bar.baz, foo.*.qux, false",
        "foo.bar, foo.>, true",
        "foo.bar.baz, foo.>, true",
        "foo, foo.>, false",
        "foo, >, true",
        "foo.bar, >, true",
        "foo.bar.baz, *.>, true",
        "foo, *.>, false",
        "foo.bar, foo.bar.>, false",
        "foo.bar, foo.*.>, false",
        "foo.bar.x, foo.*.>, true",
        "a.b.c, a.b.c.d, false",
        "foo.*, foo.*, true",
        "foo.*, foo.bar, false",
        "foo.>, foo.*, true",
        "Foo, foo, false",
    })
    void matches(String literal, String filter, boolean expected) {
        assertEquals(expected, SubjectMatcher.matches(literal, filter), literal + " ~ " + filter);
    }

    /** The matcher and the trie must agree, since the cache relies on the matcher to invalidate entries. */
    @Test
    void agreesWithSublistOnRandomSubjects() throws Exception {
        Random random = new Random(42);
        List<String> tokens = List.of("a", "b", "c", "*", ">");
        for (int round = 0; round < 2000; round++) {
            String filter = randomSubject(random, tokens, true);
            String literal = randomSubject(random, List.of("a", "b", "c"), false);
            Sublist sl = new Sublist();
            ServerSubscription sub = new ServerSubscription(SublistTest.NOBODY, filter, null,
                    "1".getBytes(StandardCharsets.ISO_8859_1));
            try {
                sl.insert(sub);
            } catch (Sublist.InvalidSubjectException e) {
                continue;
            }
            boolean trie = sl.match(literal).plain().length == 1;
            assertEquals(trie, SubjectMatcher.matches(literal, filter), literal + " ~ " + filter);
        }
    }

    private static String randomSubject(Random random, List<String> tokens, boolean wildcards) {
        int n = 1 + random.nextInt(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(tokens.get(random.nextInt(tokens.size())));
        }
        return sb.toString();
    }
}
