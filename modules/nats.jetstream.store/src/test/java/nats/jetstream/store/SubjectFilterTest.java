package nats.jetstream.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubjectFilterTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "foo, foo, true",
        "foo, bar, false",
        "foo, foo.bar, false",
        "foo.bar, foo, false",
        "foo.*, foo.bar, true",
        "foo.*, foo, false",
        "foo.*, foo.bar.baz, false",
        "foo.>, foo.bar, true",
        "foo.>, foo.bar.baz, true",
        "foo.>, foo, false",
        "*.bar, foo.bar, true",
        "*.bar, foo.baz, false",
        "*.*.c, a.b.c, true",
        "*.*.c, a.b.d, false",
        "a.*.>, a.b.c, true",
        "a.*.>, a.b, false",
        "foo.ba, foo.bar, false",
        "foo.bar, foo.ba, false",
        ">, a, true",
        ">, a.b.c, true",
        "*, a, true",
        "*, a.b, false",
    })
    void matchesTokenByToken(String pattern, String subject, boolean expected) {
        assertEquals(expected, SubjectFilter.matches(pattern, subject),
                () -> "expected pattern " + pattern + (expected ? " to match " : " not to match ") + subject);
    }

    @Test
    void severalPatternsMatchAny() {
        SubjectFilter filter = SubjectFilter.of("orders.*", "events.>");
        assertTrue(filter.matches("orders.new"), "expected the first pattern to match");
        assertTrue(filter.matches("events.a.b"), "expected the second pattern to match");
        assertFalse(filter.matches("orders.new.x"), "expected no pattern to match a deeper orders subject");
        assertFalse(filter.matchesAll(), "expected two patterns not to match everything");
        assertEquals(Optional.empty(), filter.literal(), "expected no literal for several patterns");
    }

    @Test
    void emptyAndFullWildcardMatchEverything() {
        assertSame(SubjectFilter.ALL, SubjectFilter.of(), "expected no pattern to mean all");
        assertSame(SubjectFilter.ALL, SubjectFilter.of(""), "expected an empty pattern to mean all");
        assertSame(SubjectFilter.ALL, SubjectFilter.of("a", ">"), "expected '>' among patterns to mean all");
        assertTrue(SubjectFilter.ALL.matches("x.y"), "expected ALL to match any subject");
    }

    @Test
    void literalFilterIsRecognised() {
        assertEquals(Optional.of("a.b"), SubjectFilter.of("a.b").literal(), "expected a.b to be literal");
        assertEquals(Optional.empty(), SubjectFilter.of("a.*").literal(), "expected a.* not to be literal");
        assertEquals(List.of("a.b"), SubjectFilter.of("a.b", "a.b").patterns(), "expected duplicates dropped");
        assertTrue(SubjectFilter.isLiteral("a.b*c"), "expected * inside a token not to be a wildcard");
        assertFalse(SubjectFilter.isLiteral("a.>"), "expected > token to be a wildcard");
    }
}
