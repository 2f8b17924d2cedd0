package nats.server.internal.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import nats.server.internal.routing.SubjectMatcher;
import nats.server.options.AccountConfig.Mapping;
import org.junit.jupiter.api.Test;

class SubjectTransformTest {

    @Test
    void wildcardReferencesAndTheRest() {
        assertEquals("baz.2.1", SubjectTransform.of("bar.*.*", "baz.$2.$1").apply("bar.1.2"));
        assertEquals("orders.new.7", SubjectTransform.of("orders.*", "orders.new.{{wildcard(1)}}").apply("orders.7"));
        assertEquals("pre.a.b.c", SubjectTransform.of("a.>", "pre.a.>").apply("a.b.c"));
        assertEquals("x", SubjectTransform.of("foo", "x").apply("foo"));
    }

    @Test
    void importsNumberTheDestinationsWildcardsInOrder() {
        SubjectTransform t = SubjectTransform.positional("news.*", "a_news.*");
        assertEquals("a_news.sports", t.apply("news.sports"));
        assertEquals("news.sports", t.reverse().apply("a_news.sports"));
        assertEquals("news.*", t.reverse().apply("a_news.*"), "a wildcard subscription maps back as a wildcard");
        SubjectTransform rest = SubjectTransform.positional("public.>", "from_a.public.>");
        assertEquals("public.>", rest.reverse().apply("from_a.public.>"));
    }

    @Test
    void badDestinationsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SubjectTransform.of("a.*", "b.$2"));
        assertThrows(IllegalArgumentException.class, () -> SubjectTransform.of("a.*", "b.>"));
        assertThrows(IllegalArgumentException.class, () -> SubjectTransform.of("a.*", "b.{{shuffle(1)}}"));
        assertThrows(IllegalArgumentException.class, () -> SubjectTransform.of("a.*", "b.{{partition(3)}}"));
        assertThrows(IllegalArgumentException.class, () -> SubjectTransform.of("a.*", "b.{{splitFromLeft(1)}}"));
        assertThrows(IllegalArgumentException.class, () -> SubjectTransform.of("a.*", "b.{{wildcard(x)}}"));
        assertThrows(IllegalArgumentException.class, () -> SubjectTransform.of("a.*.*", "b.$1"),
                "every source wildcard must be used, as in Go");
        assertEquals("invalid mapping destination: not using all of the token wildcard(s) in b.$1",
                assertThrows(IllegalArgumentException.class, () -> SubjectTransform.of("a.*.*", "b.$1")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> SubjectTransform.checked(new Mapping("a",
                List.of(new Mapping.Destination("b", 60), new Mapping.Destination("c", 50)))));
        assertThrows(IllegalArgumentException.class, () -> SubjectTransform.checked(new Mapping("a",
                List.of(new Mapping.Destination("b", 10), new Mapping.Destination("b", 10)))));
    }

    @Test
    void weightedMappingsKeepTheRestOnTheSourceSubject() {
        SubjectMappings m = SubjectMappings.of(List.of(new Mapping("lossy", List.of(new Mapping.Destination("other", 50)))));
        int moved = 0;
        for (int i = 0; i < 2000; i++) {
            moved += m.map("lossy").equals("other") ? 1 : 0;
        }
        assertTrue(moved > 800 && moved < 1200, "about half moved: " + moved);
        assertEquals("unmapped", m.map("unmapped"));
    }

    @Test
    void subsetAndCollision() {
        assertTrue(SubjectMatcher.isSubsetMatch("foo.bar", "foo.>"));
        assertTrue(SubjectMatcher.isSubsetMatch("foo.*", "foo.>"));
        assertFalse(SubjectMatcher.isSubsetMatch("foo.>", "foo.*"));
        assertFalse(SubjectMatcher.isSubsetMatch("foo.*", "foo.bar"));
        assertTrue(SubjectMatcher.collide("foo.*", "*.bar"));
        assertTrue(SubjectMatcher.collide("foo.>", "foo.a.b"));
        assertFalse(SubjectMatcher.collide("foo.a", "foo.b"));
        assertFalse(SubjectMatcher.collide("foo.*", "foo.a.b"));
    }
}
